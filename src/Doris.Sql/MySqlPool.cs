using System.Collections.Concurrent;

namespace Doris.Sql;

/// <summary>
/// A small pool: at most <c>maxSize</c> connections, idle ones reused (pinged first when idle longer than a
/// minute), broken ones dropped. Statement errors leave a connection in the pool; transport errors do not.
/// </summary>
public sealed class MySqlPool(MySqlOptions options, int maxSize = 2) : IAsyncDisposable
{
    private readonly ConcurrentBag<MySqlConnection> _idle = [];
    private readonly SemaphoreSlim _slots = new(maxSize, maxSize);
    private int _created;

    public MySqlOptions Options => options;

    /// <summary>Connections opened over the pool's life.</summary>
    public int Created => Volatile.Read(ref _created);

    public Task<ResultSet> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        UseAsync(c => c.QueryAsync(sql, cancellationToken), cancellationToken);

    public Task<ulong> ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        UseAsync(c => c.ExecuteAsync(sql, cancellationToken), cancellationToken);

    public async Task<T> UseAsync<T>(Func<MySqlConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        MySqlConnection? connection = null;
        try
        {
            connection = await RentAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        finally
        {
            if (connection is { IsBroken: false })
            {
                _idle.Add(connection);
            }
            else if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var c))
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        _slots.Dispose();
    }

    private async Task<MySqlConnection> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.IsBroken)
            {
                await idle.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            if (DateTimeOffset.UtcNow - idle.LastUsed < TimeSpan.FromMinutes(1))
            {
                return idle;
            }

            try
            {
                await idle.PingAsync(cancellationToken).ConfigureAwait(false);
                return idle;
            }
            catch (MySqlException)
            {
                await idle.DisposeAsync().ConfigureAwait(false);
            }
        }

        var opened = await MySqlConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _created);
        return opened;
    }
}
