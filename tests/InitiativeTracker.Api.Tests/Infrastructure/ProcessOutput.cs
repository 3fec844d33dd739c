using System.Diagnostics;
using System.Text;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// What a child process writes to standard output and error, line by line as it comes, interleaved: for a
/// failing test's message, or for a test that reads a log. Complete once the process has exited and
/// <see cref="Process.WaitForExitAsync(CancellationToken)"/> has returned.
/// </summary>
public sealed class ProcessOutput
{
    private readonly StringBuilder _text = new();

    private ProcessOutput()
    {
    }

    /// <summary>Starts reading both streams of <paramref name="process"/>, started with both redirected.</summary>
    public static ProcessOutput Read(Process process)
    {
        var output = new ProcessOutput();
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return output;
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
        }
    }
}
