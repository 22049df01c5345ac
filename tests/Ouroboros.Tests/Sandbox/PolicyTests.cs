using Ouroboros.Compilation;
using Ouroboros.Policy;

namespace Ouroboros.Tests.Sandbox;

public sealed class PolicyTests
{
    private static IReadOnlyList<PolicyViolation> Check(string body, string members = "") =>
        SandboxPolicy.Check(CSharpCompiler.Bind(
            $"public static class Solution {{ {members}\n public static object Run() {{\n{body}\n}} }}", "0000000000000000", fullFramework: true));

    [Theory]
    [InlineData("return System.IO.File.ReadAllText(\"x\");", "the file system")]
    [InlineData("return new System.Net.Http.HttpClient();", "the network")]
    [InlineData("return System.Net.Dns.GetHostName();", "the network")]
    [InlineData("return System.Diagnostics.Process.GetCurrentProcess();", "processes")]
    [InlineData("return System.Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\");", "environment")]
    [InlineData("System.Environment.Exit(0); return null;", "environment")]
    [InlineData("return typeof(Solution).GetMethods();", "reflection")]
    [InlineData("return Activator.CreateInstance(typeof(object));", "reflection")]
    [InlineData("return Type.GetType(\"System.IO.File\");", "reflection")]
    [InlineData("System.Linq.Expressions.Expression<Func<int>> e = () => 1; return e.Compile();", "expression compilation")]
    [InlineData("return System.Runtime.InteropServices.Marshal.SizeOf<int>();", "interop")]
    [InlineData("return Console.OpenStandardOutput();", "raw standard streams")]
    [InlineData("Console.SetOut(System.IO.TextWriter.Null); return null;", "raw standard streams")]
    [InlineData("GC.Collect(); return null;", "garbage-collector")]
    [InlineData("return AppDomain.CurrentDomain;", "AppDomain")]
    [InlineData("return System.Runtime.Loader.AssemblyLoadContext.Default;", "assembly loading")]
    [InlineData("dynamic d = 1; return d;", "dynamic code")]
    [InlineData("Func<int> f = () => 1; return f.DynamicInvoke();", "reflection")]
    public void Forbidden_apis_are_named_with_their_location(string body, string reason)
    {
        var violations = Check(body);
        Assert.NotEmpty(violations);
        Assert.Contains(violations, v => v.Rule.Contains(reason, StringComparison.OrdinalIgnoreCase));
        Assert.All(violations, v => Assert.Equal(3, v.Line)); // the body's line, 1-based
    }

    [Fact]
    public void Interop_and_unsafe_declarations_are_violations()
    {
        Assert.Contains(Check("return null;", "[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();"), v => v.Rule.Contains("native"));
        Assert.Contains(Check("return null;", "static unsafe int* P() => null;"), v => v.Rule.Contains("unsafe"));
        Assert.Contains(Check("unsafe { int x = 1; int* p = &x; } return null;"), v => v.Rule.Contains("unsafe"));
        Assert.Contains(Check("return null;", "static unsafe void F(delegate*<int> f) { }"), v => v.Rule.Contains("unsafe"));
    }

    [Fact]
    public void A_language_model_of_its_own_is_budget_circumvention()
    {
        var own = SandboxPolicy.Check(CSharpCompiler.Bind("""
            public sealed class Bigger : ILanguageModel
            {
                public IReadOnlyList<string> Prompt(string e, string m, int n = 1, double t = 0.7) => [];
                public IReadOnlyList<string> BatchPrompt(string e, IReadOnlyList<string> m, double t = 0.7) => [];
                public int Budget => 1000; public int MaxResponsesPerCall => 100;
            }
            """, "0000000000000000"));
        Assert.Contains(own, v => v.BudgetCircumvention);
        Assert.Contains(Check("return new LanguageModel(budget: 100);"), v => v.BudgetCircumvention && v.Symbol == "LanguageModel");
    }

    [Fact]
    public void What_algorithms_need_is_allowed()
    {
        var violations = Check("""
            var rng = new Random(42);
            var xs = Enumerable.Range(0, 100).Select(_ => rng.Next(10)).ToList();
            var counts = new Dictionary<int, int>(); foreach (var x in xs) counts[x] = counts.GetValueOrDefault(x) + 1;
            var sb = new StringBuilder(); sb.Append(Math.Sqrt(2)).Append(string.Join(",", counts.Keys.Order()));
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var sum = 0L; Parallel.For(0, 10, i => Interlocked.Add(ref sum, i));
            var t = Task.Run(() => xs.Sum()); t.Wait();
            var q = new PriorityQueue<int, double>(); q.Enqueue(1, 0.5);
            var bag = new System.Collections.Concurrent.ConcurrentBag<int>(); var big = System.Numerics.BigInteger.Pow(2, 100);
            Console.WriteLine(sb.ToString() + sw.ElapsedMilliseconds + big);
            return new { sum, t.Result, q.Count, bag.Count, typeName = xs.GetType().Name };
            """);
        Assert.Empty(violations);
    }
}
