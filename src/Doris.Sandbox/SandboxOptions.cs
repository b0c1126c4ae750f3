using Doris.Kubernetes.Client.Http;
using Doris.Simulation.Cluster;

namespace Doris.Sandbox;

/// <summary>How a sandbox is put together: the clock, the API server's listener, the nodes and how fast pods start.</summary>
public sealed record SandboxOptions
{
    /// <summary>The clock of the API server, the simulated cluster and the operator; a SimulatedClock in tests, the system clock for people.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public int Port { get; init; }

    public bool Tls { get; init; } = true;

    public IReadOnlyList<NodeShape> Nodes { get; init; } = NodeShape.DefaultFleet();

    /// <summary>
    /// A planned fleet (from an EKS blueprint) instead of <see cref="Nodes"/>: its groups start at their minimum and
    /// the simulated cluster-autoscaler or Karpenter adds and removes nodes as pods need them.
    /// </summary>
    public IReadOnlyList<NodeGroupShape>? Fleet { get; init; }

    public SimulationTimings Timings { get; init; } = new();

    /// <summary>How often the simulated controllers step when driven by the clock (<see cref="SandboxEnvironment.RunClusterAsync"/>).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The operator's client limits; a sandbox is local, so the defaults allow far more than a shared API server would.</summary>
    public ClientOptions Client { get; init; } = new() { Qps = 1000, Burst = 2000 };
}
