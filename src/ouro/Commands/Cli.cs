using System.CommandLine;
using System.Text.RegularExpressions;
using Ouroboros.Reporting;

namespace Ouroboros.Cli.Commands;

/// <summary>Runs the parsed command and turns the errors users can cause into one line and an exit code.</summary>
public static class Cli
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        using var termination = new Termination();
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) Console.Error.WriteLine($"ouro: {Plain(e.Message)}");
                Console.Error.WriteLine("Run 'ouro --help' for usage.");
                return ExitCodes.BadInput;
            }
            var exit = await parse.InvokeAsync(config, termination.Token);
            return termination.Requested ? ExitCodes.Terminated : exit;
        }
        catch (UserError e)
        {
            Console.Error.WriteLine($"ouro: {Printable.Text(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (SchedulerMissing e)
        {
            Console.Error.WriteLine($"ouro: {Printable.Text(e.Message)}");
            return ExitCodes.SchedulerUnavailable;
        }
        catch (Ouroboros.Store.StoreUnreachableException e)
        {
            // A store server that is down or refuses the login: nothing was written; retry once it answers.
            Console.Error.WriteLine($"ouro: {Printable.Text(e.Message)}");
            return ExitCodes.StoreUnreachable;
        }
        catch (Ouroboros.Store.RunStoreException e)
        {
            // The store, not Ouroboros: a full disk, a read-only or damaged file. The message says what to do.
            Console.Error.WriteLine($"ouro: {Printable.Text(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Ouroboros.Runs.OptionsException e)
        {
            // The engine names an option as the configuration does; the user typed a flag.
            Console.Error.WriteLine($"ouro: {Printable.Text($"{OptionBinder<Ouroboros.Stop.StopOptions>.Flag(e.Option)} {e.Problem}")}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine(termination.Requested ? "ouro: stopped by SIGTERM." : "ouro: interrupted.");
            return termination.Requested ? ExitCodes.Terminated : ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Not the user's fault: say what broke in one line; the trace only on request. Escaped:
            // a message may quote a program's output (a worker's last words, a scorer's input).
            Console.Error.WriteLine($"ouro: {Printable.Text(e.Message)}");
            if (Environment.GetEnvironmentVariable("OUROBOROS_TRACE") == "1") Console.Error.WriteLine(e);
            else Console.Error.WriteLine("ouro: set OUROBOROS_TRACE=1 for the stack trace.");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// A parse error in the user's words: System.CommandLine names the .NET type it wanted
    /// (<c>System.UInt64</c>); the user typed a flag and wants to know what to give it.
    /// </summary>
    internal static string Plain(string message)
    {
        var m = Regex.Match(message, @"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?$");
        if (!m.Success) return message;
        var wanted = Ouroboros.Runs.ValueKinds.Describe(m.Groups["type"].Value);
        return $"{m.Groups["name"].Value} expects {wanted}, not '{m.Groups["value"].Value}'.";
    }
}
