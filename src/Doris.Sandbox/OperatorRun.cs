using Doris.Kubernetes.Client;
using Doris.Operator;

namespace Doris.Sandbox;

/// <summary>One running operator replica; disposing it is a kill (no lease release), <see cref="StopAsync"/> a graceful stop.</summary>
public sealed class OperatorRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly KubernetesClient _client;
    private Task? _task;

    internal OperatorRun(OperatorHost host, KubernetesClient client)
    {
        Host = host;
        _client = client;
        host.Starting();
        _task = Task.Run(() => host.RunAsync(_stop.Token));
    }

    public OperatorHost Host { get; }

    /// <summary>The replica's own API client (its request counts are what the replica sent).</summary>
    public KubernetesClient Client => _client;

    /// <summary>Stops the replica and waits for it to finish (releasing its lease on the way out).</summary>
    public async Task StopAsync()
    {
        if (_task is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _task = null;
    }

    /// <summary>Kills the replica: it stops at once and leaves its lease to expire, as a SIGKILLed pod would.</summary>
    public Task KillAsync()
    {
        Host.AbandonLeaseOnStop();
        return StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
    }
}
