using System.Text.Json.Serialization.Metadata;
using Doris.Kubernetes.Client.Config;
using Doris.Kubernetes.Client.Http;
using Doris.Kubernetes.Models;

namespace Doris.Kubernetes.Client;

/// <summary>A connection to one API server; hands out typed clients per resource.</summary>
public sealed class KubernetesClient : IDisposable
{
    private readonly KubernetesHttpHandler _handler;

    public KubernetesClient(ClusterConnection connection, ClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Options = options ?? new ClientOptions();
        _handler = new KubernetesHttpHandler(connection, Options, time ?? TimeProvider.System);
        Http = new HttpClient(_handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
        Http.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
    }

    public ClusterConnection Connection { get; }

    public ClientOptions Options { get; }

    /// <summary>How many requests were retried after 429/5xx (for tests and metrics).</summary>
    public int Retries => _handler.Retries;

    /// <summary>Every request sent, by verb and status code (retries count separately).</summary>
    public RequestCounter Requests => _handler.Requests;

    internal HttpClient Http { get; }

    /// <summary>Why the last TLS handshake refused the API server's certificate, in the kubeconfig's terms.</summary>
    internal string? TlsRefusal => _handler.TlsRefusal;

    public ResourceClient<T> For<T>(ResourceDescriptor resource, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject => new(this, resource, typeInfo);

    /// <summary>
    /// A client whose JSON contract is resolved when it first encodes or decodes an object, not now. Reading a
    /// source-generated context's property builds the contract of every type the object can hold (a StatefulSet's
    /// pod template takes in most of the core API): a cache of a kind that has no objects yet (a fresh install has
    /// no Doris StatefulSets, pods or autoscalers) then never pays for it, and an operator's start does not wait on
    /// contracts nothing has asked for (bench/RESULTS.md, start-up).
    /// </summary>
    public ResourceClient<T> For<T>(ResourceDescriptor resource, Func<JsonTypeInfo<T>> typeInfo)
        where T : class, IKubernetesObject => new(this, resource, typeInfo);

    public void Dispose() => Http.Dispose();
}
