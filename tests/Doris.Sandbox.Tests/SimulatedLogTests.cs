using Doris.Simulation.Processes;

namespace Doris.Sandbox.Tests;

/// <summary>What the simulated FE prints about the statements it runs: changes only, never a credential.</summary>
public sealed class SimulatedLogTests
{
    [Fact]
    public void Execute_ChangingStatements_ArePrintedWithPasswordsMasked()
    {
        var printed = new List<string>();
        var model = new DorisModel { Printed = printed.Add };

        model.Execute("SHOW BACKENDS");
        model.Execute("SET PASSWORD FOR 'root' = PASSWORD('s3cret')");
        model.Execute("CREATE USER 'ops' IDENTIFIED BY 'hunter2'");
        model.Execute("ALTER SYSTEM DROP BACKEND \"be-0:9050\"");

        printed.Count.ShouldBe(3, "reads are not printed");
        string.Join("\n", printed).ShouldNotContain("s3cret");
        string.Join("\n", printed).ShouldNotContain("hunter2");
        printed[0].ShouldContain("PASSWORD('***')");
        printed[2].ShouldStartWith("refused: ALTER SYSTEM DROP BACKEND");
    }
}
