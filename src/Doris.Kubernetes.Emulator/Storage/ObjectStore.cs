using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Doris.Kubernetes.Emulator.Storage;

/// <summary>
/// The emulator's storage, with the API server's semantics where controllers depend on them: one global
/// resourceVersion, generation bumped on spec changes only, 409 on stale writes, no-op updates that keep the
/// resourceVersion and emit nothing, status as a separate subresource, finalizers and deletionTimestamp,
/// owner-reference garbage collection, selectors, pagination, and a watch history with a compaction window.
/// All state sits behind one lock: the emulator favours being right over being concurrent.
/// </summary>
public sealed class ObjectStore(TimeProvider time, int compactionWindow = 10_000, int watchBuffer = 1000)
{
    private const string ForegroundFinalizer = "foregroundDeletion";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, (ResourceType Type, JsonObject Object)> _objects = new(StringComparer.Ordinal);

    // The same keys in a set that can be ranged, so a list reads only its own type (not every Event ever recorded).
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly LinkedList<(StoredEvent Event, JsonObject? Previous)> _log = new();
    private readonly List<Watcher> _watchers = [];
    private readonly HashSet<string> _uids = new(StringComparer.Ordinal);
    private long _resourceVersion = 1;
    private long _oldestWatchable = 1;
    private long _watchEnds;

    // Per type (group/plural), the resourceVersion of its last write, so an in-process reader can skip a re-list.
    private readonly Dictionary<string, long> _lastChange = new(StringComparer.Ordinal);

    /// <summary>What the simulated containers printed (<c>kubectl logs</c>); a pod's lines go with the pod.</summary>
    public PodLogs Logs { get; } = new();

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>
    /// The resourceVersion of the last create, update or delete of any object of <paramref name="type"/> (0 if none):
    /// the simulated controllers list a kind again only when it moved.
    /// </summary>
    public long LastChange(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate)
        {
            return _lastChange.GetValueOrDefault($"{type.Group}/{type.Plural}");
        }
    }

    /// <param name="beforeCommit">Last changes to the object about to be stored (managedFields), given the old object.</param>
    public JsonObject Create(ResourceType type, string? ns, JsonObject input, Action<JsonObject?, JsonObject>? beforeCommit = null)
    {
        lock (_gate)
        {
            var obj = (JsonObject)input.DeepClone();
            var meta = obj["metadata"] as JsonObject ?? new JsonObject();
            obj["metadata"] = meta;
            CheckKind(type, obj);
            var name = Str(meta["name"]);
            if (string.IsNullOrEmpty(name) && Str(meta["generateName"]) is { Length: > 0 } prefix)
            {
                name = prefix + RandomSuffix();
                meta["name"] = name;
            }

            if (string.IsNullOrEmpty(name))
            {
                throw ApiError.Invalid(type, string.Empty, "metadata.name: Required value: name or generateName is required");
            }

            Names.CheckObjectName(type, name);
            ns = CheckNamespace(type, ns, meta);
            var key = Key(type, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw ApiError.AlreadyExists(type, name);
            }

            foreach (var system in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink" })
            {
                meta.Remove(system);
            }

            if (type.HasStatusSubresource)
            {
                obj.Remove("status");
            }

            if (type is { Kind: "Namespace", Group: "" })
            {
                obj["status"] = new JsonObject { ["phase"] = "Active" };
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp();
            meta["generation"] = 1;
            beforeCommit?.Invoke(null, obj);
            Commit(type, ns, key, obj, "ADDED", null);
            var created = (JsonObject)obj.DeepClone();
            if (!_dryRun && OwnerUids(obj).ToList() is { Count: > 0 } owners && owners.All(u => !_uids.Contains(u)))
            {
                // The garbage collector removes a dependent whose owners are all gone, e.g. one created by a
                // controller that had not yet seen its owner's deletion.
                Delete(type, ns, name, "Background");
            }

            return created;
        }
    }

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(type, ns, name), out var entry) ? (JsonObject)entry.Object.DeepClone() : throw ApiError.NotFound(type, name);
        }
    }

    /// <summary>
    /// Maps the live objects of a type (no copies) under the store's lock: for in-process readers that cache a typed
    /// view by resourceVersion. <paramref name="project"/> must not change the object it is given.
    /// </summary>
    public IReadOnlyList<T> Project<T>(ResourceType type, string? ns, LabelSelector labels, Func<string, string, JsonObject, T> project)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(project);
        var prefix = ns is null ? $"{type.Group}/{type.Plural}/" : $"{type.Group}/{type.Plural}/{ns}/";
        lock (_gate)
        {
            var items = new List<T>();
            foreach (var key in _keys.GetViewBetween(prefix, prefix + '\uffff'))
            {
                var entry = _objects[key];
                if (key.StartsWith(prefix, StringComparison.Ordinal) && labels.Matches(Labels(entry.Object)))
                {
                    items.Add(project(key, Str(entry.Object["metadata"]!["resourceVersion"]) ?? string.Empty, entry.Object));
                }
            }

            return items;
        }
    }

    public ListResult List(ResourceType type, string? ns, LabelSelector labels, string? fieldSelector, int? limit, string? continueToken)
    {
        var fields = FieldSelector.Parse(type, fieldSelector);
        lock (_gate)
        {
            var after = string.Empty;
            if (!string.IsNullOrEmpty(continueToken))
            {
                (var tokenVersion, after) = DecodeContinue(continueToken);
                if (tokenVersion < _oldestWatchable)
                {
                    throw ApiError.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
            }

            var prefix = ns is null ? $"{type.Group}/{type.Plural}/" : $"{type.Group}/{type.Plural}/{ns}/";
            var items = new List<JsonObject>();
            string? next = null;
            var lastKey = string.Empty;
            foreach (var key in _keys.GetViewBetween(prefix, prefix + '\uffff'))
            {
                var entry = _objects[key];
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || string.CompareOrdinal(key, after) <= 0 || !labels.Matches(Labels(entry.Object)) || !fields(entry.Object))
                {
                    continue;
                }

                if (limit is > 0 && items.Count == limit)
                {
                    // The token names the last key returned (not the next one's namespace with the last one's name,
                    // which skipped objects when a cluster-wide page ended at a namespace boundary).
                    next = EncodeContinue(_resourceVersion, lastKey);
                    break;
                }

                items.Add((JsonObject)entry.Object.DeepClone());
                lastKey = key;
            }

            return new ListResult(items, _resourceVersion, next);
        }
    }

    /// <summary>Replaces the object (or, for the status subresource, only its status).</summary>
    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject input, bool statusSubresource, Action<JsonObject?, JsonObject>? beforeCommit = null)
    {
        lock (_gate)
        {
            var key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw ApiError.NotFound(type, name);
            }

            var old = current.Object;
            var obj = (JsonObject)input.DeepClone();
            var meta = obj["metadata"] as JsonObject ?? new JsonObject();
            obj["metadata"] = meta;
            CheckKind(type, obj);
            if (Str(meta["name"]) is { } bodyName && bodyName != name)
            {
                throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            if (Str(meta["resourceVersion"]) is { Length: > 0 } rv && rv != Str(old["metadata"]!["resourceVersion"]))
            {
                throw ApiError.Conflict(type, name);
            }

            JsonObject next;
            if (statusSubresource)
            {
                next = (JsonObject)old.DeepClone();
                next["status"] = obj["status"]?.DeepClone();
            }
            else
            {
                next = obj;
                var nextMeta = (JsonObject)next["metadata"]!;
                var oldMeta = (JsonObject)old["metadata"]!;
                foreach (var system in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace" })
                {
                    nextMeta.Remove(system);
                    if (oldMeta[system] is { } value)
                    {
                        nextMeta[system] = value.DeepClone();
                    }
                }

                nextMeta["name"] = name;
                if (type.HasStatusSubresource)
                {
                    next.Remove("status");
                    if (old["status"] is { } status)
                    {
                        next["status"] = status.DeepClone();
                    }
                }

                if (type.Kind == "StatefulSet" && type.Group == "apps")
                {
                    CheckStatefulSetUpdate(type, name, old, next);
                }

                if (!JsonNode.DeepEquals(Spec(next), Spec(old)))
                {
                    nextMeta["generation"] = (oldMeta["generation"] is { } g ? long.Parse(g.ToJsonString(), CultureInfo.InvariantCulture) : 1) + 1;
                }
            }

            beforeCommit?.Invoke(old, next);
            return Store(type, ns, key, old, next);
        }
    }

    public JsonObject Delete(ResourceType type, string? ns, string name, string? propagationPolicy)
    {
        lock (_gate)
        {
            var key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw ApiError.NotFound(type, name);
            }

            var obj = (JsonObject)current.Object.DeepClone();
            var meta = (JsonObject)obj["metadata"]!;
            var uid = Str(meta["uid"])!;
            switch (propagationPolicy)
            {
                case "Orphan":
                    Orphan(uid);
                    break;
                case "Foreground":
                    var finalizers = meta["finalizers"] as JsonArray ?? [];
                    if (Dependents(uid).Any() && !finalizers.Any(f => Str(f) == ForegroundFinalizer))
                    {
                        finalizers.Add((JsonNode)JsonValue.Create(ForegroundFinalizer));
                        meta["finalizers"] = finalizers;
                    }

                    break;
            }

            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                meta["deletionTimestamp"] ??= Timestamp();
                meta["deletionGracePeriodSeconds"] ??= 0;
                var stored = Store(type, ns, key, current.Object, obj);
                if (propagationPolicy == "Foreground")
                {
                    foreach (var (depType, depNs, depName) in Dependents(uid).ToList())
                    {
                        Delete(depType, depNs, depName, "Foreground");
                    }
                }

                return stored;
            }

            Remove(type, ns, key, obj);
            return obj;
        }
    }

    public IAsyncEnumerable<StoredEvent> Watch(ResourceType type, string? ns, LabelSelector labels, long? fromResourceVersion, bool sendInitialEvents, CancellationToken cancellationToken, string? fieldSelector = null)
    {
        var fields = FieldSelector.Parse(type, fieldSelector);
        Watcher watcher;
        lock (_gate)
        {
            if (fromResourceVersion is > 0 && !sendInitialEvents && fromResourceVersion < _oldestWatchable - 1)
            {
                throw ApiError.Gone($"too old resource version: {fromResourceVersion} ({_resourceVersion})");
            }

            watcher = new Watcher(type, ns, labels, watchBuffer, fields);
            if (sendInitialEvents || fromResourceVersion is null or 0)
            {
                foreach (var (_, entry) in _objects.Where(e => watcher.Wants(e.Value.Type, Str(e.Value.Object["metadata"]!["namespace"]))))
                {
                    if (watcher.Selects(entry.Object))
                    {
                        watcher.Channel.Writer.TryWrite(new StoredEvent(_resourceVersion, "ADDED", type, ns, (JsonObject)entry.Object.DeepClone()));
                    }
                }

                if (sendInitialEvents)
                {
                    watcher.Channel.Writer.TryWrite(new StoredEvent(_resourceVersion, "BOOKMARK", type, ns, InitialEventsEnd()));
                }

                watcher.Initial = watcher.Channel.Reader.Count;
            }
            else
            {
                foreach (var (e, previous) in _log.Where(entry => entry.Event.ResourceVersion > fromResourceVersion))
                {
                    watcher.Offer(e, previous);
                }
            }

            _watchers.Add(watcher);
        }

        return watcher.ReadAsync(() => Unsubscribe(watcher), cancellationToken);
    }

    /// <summary>Fault switch: close every open watch, as an API server restart or a load balancer timeout does.</summary>
    public void DropWatches() => DropWatches(_ => true);

    /// <summary>Ends the open watches of some resources cleanly (a deleted CRD ends the watches of its resource).</summary>
    public void DropWatches(Func<ResourceType, bool> which)
    {
        lock (_gate)
        {
            foreach (var w in _watchers.Where(w => which(w.Type)).ToList())
            {
                w.Channel.Writer.TryComplete();
                _watchers.Remove(w);
                NoteWatchEnding();
            }
        }
    }

    /// <summary>
    /// Watches ended so far by the server (timeout, a dropped or broken watch), counted the moment the end is
    /// decided: a driver of simulated time must give real time after such a moment, because the end reaches the
    /// client over a socket, not through the clock.
    /// </summary>
    public long WatchEnds => Interlocked.Read(ref _watchEnds);

    internal void NoteWatchEnding() => Interlocked.Increment(ref _watchEnds);

    /// <summary>Open watches (a metric, and for tests that check a closed watch is really gone).</summary>
    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Fault switch: forget all history, so every older resourceVersion is answered with 410 Gone.</summary>
    public void ExpireResourceVersions()
    {
        lock (_gate)
        {
            _log.Clear();
            _oldestWatchable = _resourceVersion + 1;
        }
    }

    private JsonObject Store(ResourceType type, string? ns, string key, JsonObject old, JsonObject next)
    {
        var meta = (JsonObject)next["metadata"]!;
        meta["resourceVersion"] = Str(old["metadata"]!["resourceVersion"]);
        if (JsonNode.DeepEquals(next, old))
        {
            return (JsonObject)old.DeepClone(); // a no-op write keeps the resourceVersion and tells no watcher
        }

        if (meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 })
        {
            Remove(type, ns, key, next);
            return (JsonObject)next.DeepClone();
        }

        Commit(type, ns, key, next, "MODIFIED", old);
        return (JsonObject)next.DeepClone();
    }

    private void Remove(ResourceType type, string? ns, string key, JsonObject obj)
    {
        if (_dryRun)
        {
            return; // the answer is computed, nothing is removed and no dependent is collected
        }

        var old = _objects[key].Object;
        _objects.Remove(key);
        _keys.Remove(key);
        _uids.Remove(Str(old["metadata"]!["uid"]) ?? string.Empty);
        if (type is { Kind: "Pod", Group: "" } && ns is not null)
        {
            Logs.Forget(ns, Str(obj["metadata"]!["name"])!);
        }

        _resourceVersion++;
        _lastChange[$"{type.Group}/{type.Plural}"] = _resourceVersion;
        obj["metadata"]!["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        Publish(new StoredEvent(_resourceVersion, "DELETED", type, ns, obj), old);

        var uid = Str(obj["metadata"]!["uid"])!;
        foreach (var (depType, depNs, depName) in Dependents(uid).ToList())
        {
            // Background garbage collection: a dependent goes once its last owner is gone.
            if (OwnerUids(_objects[Key(depType, depNs, depName)].Object).All(u => u == uid || !_uids.Contains(u)))
            {
                Delete(depType, depNs, depName, "Background");
            }
        }

        FinishForegroundDeletions();
    }

    private void Commit(ResourceType type, string? ns, string key, JsonObject obj, string eventType, JsonObject? old)
    {
        if (_dryRun)
        {
            return; // validated and defaulted as for real; nothing stored, no watcher told
        }

        _resourceVersion++;
        _lastChange[$"{type.Group}/{type.Plural}"] = _resourceVersion;
        obj["metadata"]!["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        _objects[key] = (type, obj);
        _keys.Add(key);
        _uids.Add(Str(obj["metadata"]!["uid"]) ?? string.Empty);
        Publish(new StoredEvent(_resourceVersion, eventType, type, ns, (JsonObject)obj.DeepClone()), old);
    }

    private void Publish(StoredEvent e, JsonObject? previous)
    {
        _log.AddLast((e, previous));
        while (_log.Count > compactionWindow)
        {
            _oldestWatchable = _log.First!.Value.Event.ResourceVersion + 1;
            _log.RemoveFirst();
        }

        foreach (var w in _watchers)
        {
            w.Offer(e, previous);
        }

        if (_watchers.RemoveAll(w => w.CutOff) is > 0 and var cut)
        {
            Interlocked.Add(ref _watchEnds, cut);
            Interlocked.Add(ref _slowWatchersCut, cut);
        }
    }

    private long _slowWatchersCut;

    /// <summary>Watches closed because their client stopped reading (kube-apiserver closes them the same way).</summary>
    public long SlowWatchersCut => Interlocked.Read(ref _slowWatchersCut);

    private bool _dryRun;

    /// <summary>
    /// Runs a write as <c>dryRun=All</c> does: every check, default and conflict as for real, and the object that
    /// would result is returned, but nothing is stored, no resourceVersion is spent and no watcher hears of it.
    /// </summary>
    public T DryRun<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            _dryRun = true;
            try
            {
                return action();
            }
            finally
            {
                _dryRun = false;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with no other write in between: a read-modify-write that cannot conflict.</summary>
    public T Atomically<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            return action();
        }
    }

    private void FinishForegroundDeletions()
    {
        foreach (var (key, entry) in _objects.ToList())
        {
            var meta = (JsonObject)entry.Object["metadata"]!;
            if (meta["finalizers"] is JsonArray finalizers && finalizers.Any(f => Str(f) == ForegroundFinalizer) && !Dependents(Str(meta["uid"])!).Any())
            {
                var next = (JsonObject)entry.Object.DeepClone();
                var remaining = new JsonArray([.. finalizers.Where(f => Str(f) != ForegroundFinalizer).Select(f => f!.DeepClone())]);
                next["metadata"]!["finalizers"] = remaining;
                Store(entry.Type, Str(meta["namespace"]), key, entry.Object, next);
            }
        }
    }

    private void Orphan(string uid)
    {
        foreach (var (depType, depNs, depName) in Dependents(uid).ToList())
        {
            var key = Key(depType, depNs, depName);
            var old = _objects[key].Object;
            var next = (JsonObject)old.DeepClone();
            var refs = (JsonArray)next["metadata"]!["ownerReferences"]!;
            next["metadata"]!["ownerReferences"] = new JsonArray([.. refs.Where(r => Str(r!["uid"]) != uid).Select(r => r!.DeepClone())]);
            Store(depType, depNs, key, old, next);
        }
    }

    private IEnumerable<(ResourceType Type, string? Ns, string Name)> Dependents(string uid) =>
        _objects.Values.Where(e => OwnerUids(e.Object).Contains(uid))
            .Select(e => (e.Type, Str(e.Object["metadata"]!["namespace"]), Str(e.Object["metadata"]!["name"])!));

    private static IEnumerable<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).Select(r => Str(r?["uid"]) ?? string.Empty);

    private void Unsubscribe(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    private JsonObject InitialEventsEnd() => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture),
            ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
        },
    };

    private static void CheckKind(ResourceType type, JsonObject obj)
    {
        if (Str(obj["kind"]) is { } kind && kind != type.Kind || Str(obj["apiVersion"]) is { } apiVersion && apiVersion != type.ApiVersion)
        {
            throw ApiError.BadRequest($"the API version in the data ({Str(obj["apiVersion"])}) and kind ({Str(obj["kind"])}) do not match the resource {type.QualifiedPlural} ({type.ApiVersion} {type.Kind})");
        }

        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
    }

    private static string? CheckNamespace(ResourceType type, string? ns, JsonObject meta)
    {
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }

        var bodyNs = Str(meta["namespace"]);
        if (bodyNs is { Length: > 0 } && ns is not null && bodyNs != ns)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        ns ??= bodyNs ?? "default";
        meta["namespace"] = ns;
        return ns;
    }

    /// <summary>Everything but metadata and status: what "the spec changed" means for generation.</summary>
    /// <summary>As the API server: a StatefulSet's spec may change only in these fields; the rest is fixed at creation.</summary>
    private static void CheckStatefulSetUpdate(ResourceType type, string name, JsonObject old, JsonObject next)
    {
        string[] mutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];
        JsonObject Fixed(JsonObject o)
        {
            var spec = (o["spec"] as JsonObject)?.DeepClone() as JsonObject ?? [];
            foreach (var field in mutable)
            {
                spec.Remove(field);
            }

            return spec;
        }

        if (!JsonNode.DeepEquals(Fixed(old), Fixed(next)))
        {
            throw ApiError.Invalid(type, name, "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
        }
    }

    private static JsonObject Spec(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k is not ("metadata" or "status"))
            {
                copy[k] = v?.DeepClone();
            }
        }

        return copy;
    }

    internal static IReadOnlyDictionary<string, string> Labels(JsonObject obj) => new LabelView(obj["metadata"]?["labels"] as JsonObject);

    internal static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToString();

    private static string Key(ResourceType type, string? ns, string name) => ns is null ? $"{type.Group}/{type.Plural}/{name}" : $"{type.Group}/{type.Plural}/{ns}/{name}";

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RandomSuffix()
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
    }

    private static string EncodeContinue(long rv, string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rv}|{lastKey}"));

    private static (long Rv, string LastKey) DecodeContinue(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw ApiError.BadRequest("invalid continue token; start a new list without it");
        }
    }
}
