namespace Ouroboros.Runs;

/// <summary>One table of a report: a title, a sentence saying how to read it, the cells, and an optional note after it.</summary>
public sealed record ReportTable(string Title, string Caption, string[] Columns, IReadOnlyList<string[]> Rows, string? Note = null);
