using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Contracts;

namespace Ouroboros.Worker;

/// <summary>
/// Turns one invocation's JSON arguments into the entry method's parameters: plain values by
/// System.Text.Json, and <c>{"$capability": name}</c> into a proxy for the host service of that name.
/// </summary>
internal sealed class ArgumentBinder(CapabilityClient client, long runId, JsonArray capabilities, JsonSerializerOptions json)
{
    public object?[] Bind(MethodInfo method, JsonArray arguments)
    {
        var parameters = method.GetParameters();
        if (arguments.Count > parameters.Length)
            throw new ArgumentException($"{method.Name} takes {parameters.Length} parameters but {arguments.Count} arguments were given");
        var values = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (i >= arguments.Count)
            {
                if (!p.HasDefaultValue) throw new ArgumentException($"missing argument '{p.Name}' of {method.Name}");
                values[i] = p.DefaultValue;
                continue;
            }
            var argument = arguments[i];
            values[i] = argument is JsonObject o && o["$capability"] is JsonValue name
                ? Capability((string)name!, p.ParameterType)
                : argument is null ? null : PrivateJson.Deserialize(argument, p.ParameterType, json);
        }
        return values;
    }

    private object Capability(string name, Type parameterType)
    {
        var descriptor = capabilities.OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == name)
            ?? throw new ArgumentException($"no capability named '{name}' was lent to this run");
        var properties = descriptor["properties"] as JsonObject ?? [];
        object proxy = (string?)descriptor["interface"] switch
        {
            nameof(IUtility) => new RemoteUtility(client, runId, name, properties),
            nameof(ILanguageModel) => new RemoteLanguageModel(client, runId, name, properties),
            var other => throw new ArgumentException($"unknown capability interface '{other}'"),
        };
        if (!parameterType.IsInstanceOfType(proxy))
            throw new ArgumentException($"parameter of type {parameterType.Name} cannot take capability '{name}'");
        return proxy;
    }
}
