using Doris.Testing;

namespace Doris.Kubernetes.Emulator.Tests;

/// <summary>
/// One emulator per test class and the real kubectl pointed at it (kubeconfig with the emulator's CA and token, a
/// private cache directory), with our CRD written beside it. kubectl is a prerequisite: its absence fails the tests.
/// </summary>
public abstract class KubectlSession : IAsyncLifetime
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory("kubectl-").FullName;

    protected EmulatorServer Server { get; private set; } = null!;

    protected string CrdFile => Path.Combine(Dir, "crd.yaml");

    protected virtual EmulatorOptions Options => new() { InitialNamespaces = TestNamespaces.All, BookmarkInterval = TimeSpan.FromSeconds(1) };

    public async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync(Options, TimeProvider.System, default);
        await File.WriteAllTextAsync(Path.Combine(Dir, "kubeconfig"), Server.Kubeconfig());
        var crd = Kubernetes.Serialization.YamlWriter.Write(System.Text.Json.JsonSerializer.SerializeToNode(Api.Crd.DorisClusterCrd.Build(), Kubernetes.Serialization.KubernetesJsonContext.Default.CustomResourceDefinition));
        await File.WriteAllTextAsync(CrdFile, crd);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected Task<(int Code, string Out, string Error)> Kubectl(params string[] args) =>
        Testing.Kubectl.RunAsync(Path.Combine(Dir, "kubeconfig"), Path.Combine(Dir, "cache"), args);

    protected async Task<string> FileAsync(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
