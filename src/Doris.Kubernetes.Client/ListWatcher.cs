using System.Runtime.CompilerServices;
using Doris.Kubernetes.Client.Errors;
using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Client;

/// <summary>
/// List, then watch from the list's resourceVersion; when a watch ends, resume from the last version seen
/// (bookmarks keep it fresh); when that version has expired (410, as a status or an ERROR event), list again.
/// Each list is delivered as one <see cref="ListWatchUpdate{T}"/> with <c>Relisted</c> set, so a cache can replace its contents.
/// </summary>
public sealed class ListWatcher<T>(ResourceClient<T> client, string? ns, string? labelSelector = null, int? watchTimeoutSeconds = 300)
    where T : class, IKubernetesObject
{
    public int Lists { get; private set; }

    public async IAsyncEnumerable<ListWatchUpdate<T>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? version = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (version is null)
            {
                var list = await client.ListAllAsync(ns, labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
                Lists++;
                version = list.ResourceVersion;
                yield return new ListWatchUpdate<T>(true, list.Items, null);
            }

            var watch = client.WatchAsync(ns, version, labelSelector, bookmarks: true, watchTimeoutSeconds, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    WatchEvent<T> e;
                    try
                    {
                        if (!await watch.MoveNextAsync().ConfigureAwait(false))
                        {
                            break; // the server closed the watch: resume from the last version
                        }

                        e = watch.Current;
                    }
                    catch (KubernetesApiException ex) when (ex.IsGone)
                    {
                        version = null;
                        break;
                    }

                    version = e.Object.Metadata?.ResourceVersion ?? version;
                    if (e.Type != "BOOKMARK")
                    {
                        yield return new ListWatchUpdate<T>(false, [], e);
                    }
                }
            }
            finally
            {
                await watch.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>Either a fresh full list (<see cref="Relisted"/>) or one watch event.</summary>
public sealed record ListWatchUpdate<T>(bool Relisted, IReadOnlyList<T> Items, WatchEvent<T>? Event);
