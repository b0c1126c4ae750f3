using System.Runtime.CompilerServices;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Client;

/// <summary>
/// List, then watch from the list's resourceVersion; when a watch ends cleanly, resume from the last version seen
/// (bookmarks keep it fresh); when that version has expired (410, as a status or an ERROR event), list again.
/// Each list is delivered as one <see cref="ListWatchUpdate{T}"/> with <c>Relisted</c> set, so a cache can replace
/// its contents. Objects that do not decode are skipped and announced, never fatal. Any other failure (the server
/// unreachable, 5xx, a broken or garbled stream) is thrown for the caller to retry with back-off; the next
/// <see cref="RunAsync"/> resumes from the last version seen, so a retry does not cost a list.
/// </summary>
/// <param name="minWatchTimeout">
/// Each watch asks the server to end it after a random time between this and twice this (as client-go does), so
/// the watches of many clients do not all end, and re-list, at once.
/// </param>
public sealed class ListWatcher<T>(ResourceClient<T> client, string? ns, string? labelSelector = null, TimeSpan? minWatchTimeout = null)
    where T : class, IKubernetesObject
{
    private readonly TimeSpan _minTimeout = minWatchTimeout ?? TimeSpan.FromMinutes(5);
    private string? _version;

    public int Lists { get; private set; }

    /// <summary>The version a resumed watch starts from; null means the next run lists first.</summary>
    public string? ResourceVersion => _version;

    public async IAsyncEnumerable<ListWatchUpdate<T>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_version is null)
            {
                ListPage<T>? list = null;
                KubernetesApiException? notServed = null;
                try
                {
                    list = await client.ListAllAsync(ns, labelSelector, skipUndecodable: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (KubernetesApiException e) when (e.IsNotFound)
                {
                    notServed = e;
                }

                if (notServed is not null || list is null)
                {
                    // The resource is not served (its CRD is missing or was deleted): there are none of it. Said as an
                    // empty list, so a cache does not keep objects that are gone, then thrown to retry with back-off.
                    yield return new ListWatchUpdate<T>(ListWatchUpdateKind.Relisted, [], null, []) { NotServed = true };
                    throw notServed!;
                }

                Lists++;
                _version = list.ResourceVersion;
                yield return new ListWatchUpdate<T>(ListWatchUpdateKind.Relisted, list.Items, null, list.Undecodable);
            }

            var timeout = (int)Math.Ceiling(_minTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
            WatchStream? stream = null;
            try
            {
                stream = await client.OpenWatchAsync(ns, _version, labelSelector, bookmarks: true, timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
            }

            if (stream is null)
            {
                _version = null; // answered 410 before the stream began: list again
                yield return new ListWatchUpdate<T>(ListWatchUpdateKind.WatchEnded, [], null, []) { EndReason = "expired" };
                continue;
            }

            await using var opened = stream;
            yield return new ListWatchUpdate<T>(ListWatchUpdateKind.Watching, [], null, []);
            var events = stream.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            var gone = false;
            try
            {
                while (true)
                {
                    (string Type, System.Text.Json.JsonElement Object) raw;
                    try
                    {
                        if (!await events.MoveNextAsync().ConfigureAwait(false))
                        {
                            break; // the server ended the watch (its timeout, a restart): resume from the last version
                        }

                        raw = events.Current;
                    }
                    catch (KubernetesApiException e) when (e.IsGone)
                    {
                        gone = true;
                        break;
                    }

                    _version = ResourceClient<T>.Metadata(raw.Object, "resourceVersion") ?? _version;
                    if (raw.Type == "BOOKMARK")
                    {
                        yield return new ListWatchUpdate<T>(ListWatchUpdateKind.Bookmark, [], null, []);
                    }
                    else if (client.TryDecode(raw.Object, out var item, out var failure))
                    {
                        yield return new ListWatchUpdate<T>(ListWatchUpdateKind.Event, [], new WatchEvent<T>(raw.Type, item), []);
                    }
                    else
                    {
                        yield return new ListWatchUpdate<T>(ListWatchUpdateKind.Undecodable, [], null, [failure]) { UndecodableType = raw.Type };
                    }
                }
            }
            finally
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }

            if (gone)
            {
                _version = null;
            }

            yield return new ListWatchUpdate<T>(ListWatchUpdateKind.WatchEnded, [], null, []) { EndReason = gone ? "expired" : "closed" };
        }
    }
}

/// <summary>What a <see cref="ListWatcher{T}"/> delivers.</summary>
public enum ListWatchUpdateKind
{
    /// <summary>A full list: <see cref="ListWatchUpdate{T}.Items"/> is everything there is (plus what did not decode).</summary>
    Relisted,

    /// <summary>A watch is open: the server answered, events will follow.</summary>
    Watching,

    /// <summary>One decoded watch event.</summary>
    Event,

    /// <summary>A bookmark: the watch is alive and its version moved on.</summary>
    Bookmark,

    /// <summary>A watch event whose object does not decode (in <see cref="ListWatchUpdate{T}.Undecodable"/>).</summary>
    Undecodable,

    /// <summary>The server ended the watch cleanly (<see cref="ListWatchUpdate{T}.EndReason"/>); another follows.</summary>
    WatchEnded,
}

/// <summary>One update from a <see cref="ListWatcher{T}"/>.</summary>
public sealed record ListWatchUpdate<T>(ListWatchUpdateKind Kind, IReadOnlyList<T> Items, WatchEvent<T>? Event, IReadOnlyList<UndecodableObject> Undecodable)
{
    public bool Relisted => Kind == ListWatchUpdateKind.Relisted;

    /// <summary>For <see cref="ListWatchUpdateKind.Undecodable"/>: the event type (DELETED means it is gone, whatever it held).</summary>
    public string? UndecodableType { get; init; }

    /// <summary>For <see cref="ListWatchUpdateKind.Relisted"/>: the list was answered 404 (the resource is not served, e.g. its CRD is missing).</summary>
    public bool NotServed { get; init; }

    /// <summary>For <see cref="ListWatchUpdateKind.WatchEnded"/>: closed (timeout, restart) or expired (410, a list follows).</summary>
    public string? EndReason { get; init; }
}
