namespace Ouroboros.Cli.Commands;

/// <summary>Bad input from the user: printed as one line, exit code <see cref="ExitCodes.BadInput"/>.</summary>
public sealed class UserError(string message) : Exception(message);
