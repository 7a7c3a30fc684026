using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Interchange;

/// <summary>
/// Reads and writes policies as JSON files: a policy is data that users can read, copy and change.
/// </summary>
/// <remarks>
/// The format is <see cref="AccessPolicyOptions"/> with camelCase names (see <c>docs/policy.md</c>). Comments and
/// trailing commas are allowed, because people edit these files; a property the format does not know is an error,
/// because a misspelt <c>countriesOfConcern</c> must not silently switch a check off; so is a member given twice in
/// one object, since only one of the two values could count.
/// </remarks>
public static class AccessPolicyJson
{
    /// <summary>Reads policy options from JSON, without validating them.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The options.</returns>
    /// <exception cref="InvalidPolicyException">The text is not JSON of the policy format; the message says where.</exception>
    public static AccessPolicyOptions ReadOptions(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadOptions(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads policy options from UTF-8 JSON, without validating them.</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <returns>The options.</returns>
    /// <exception cref="InvalidPolicyException">The bytes are not JSON of the policy format; the message says where.</exception>
    public static AccessPolicyOptions ReadOptions(ReadOnlySpan<byte> utf8Json)
    {
        var (options, unknown) = ReadKnownMembers(utf8Json);
        return unknown.Count == 0 ? options : throw new InvalidPolicyException(unknown);
    }

    /// <summary>Reads, validates and compiles a policy from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="InvalidPolicyException">The JSON is not a valid policy; <see cref="InvalidPolicyException.Problems"/> lists every problem.</exception>
    public static AccessPolicy Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads, validates and compiles a policy from a JSON file.</summary>
    /// <param name="path">The file, such as <c>policies/project-texas.json</c>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="InvalidPolicyException">The file is not a valid policy; each problem is prefixed with the path.</exception>
    public static AccessPolicy Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            // A UTF-8 byte order mark is how some editors save UTF-8 (Notepad, PowerShell 5's Out-File); the JSON
            // reader would take it for a stray character before the first value.
            ReadOnlySpan<byte> json = SmallFile.ReadAllBytes(path);
            return Read(json.StartsWith(Encoding.UTF8.Preamble) ? json[Encoding.UTF8.Preamble.Length..] : json);
        }
        catch (InvalidPolicyException exception)
        {
            throw new InvalidPolicyException([.. exception.Problems.Select(p => $"{path}: {p}")]);
        }
    }

    // Reads, validates and compiles, listing the members the format does not know together with the invalid values,
    // as a configuration section's problems are listed: one run names every mistake of the file.
    private static AccessPolicy Read(ReadOnlySpan<byte> utf8Json)
    {
        var (options, unknown) = ReadKnownMembers(utf8Json);
        return unknown.Count == 0 ? options.ToPolicy() : throw new InvalidPolicyException([.. unknown, .. options.Validate()]);
    }

    // The options the format's members give, and every member it does not know (the serializer would stop at the
    // first). What stops the reader (not JSON, a value of the wrong kind, a member given twice) is the one problem.
    private static (AccessPolicyOptions Options, IReadOnlyList<string> Unknown) ReadKnownMembers(ReadOnlySpan<byte> utf8Json)
    {
        AccessPolicyOptions options;
        try
        {
            options = JsonSerializer.Deserialize(utf8Json, SkippingUnknownMembers)
                ?? throw new InvalidPolicyException("expected a JSON object describing a policy, found null");
        }
        catch (JsonException exception)
        {
            throw new InvalidPolicyException(PolicyJsonProblem.Describe(exception), exception);
        }

        return JsonRepeatedMembers.Find(utf8Json) is { } duplicate
            ? throw new InvalidPolicyException(duplicate)
            : (options, PolicyJsonUnknownMembers.Find(utf8Json));
    }

    private static JsonTypeInfo<AccessPolicyOptions> SkippingUnknownMembers { get; } = (JsonTypeInfo<AccessPolicyOptions>)
        new JsonSerializerOptions(PolicyJsonContext.Default.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip }
            .GetTypeInfo(typeof(AccessPolicyOptions));

    /// <summary>Writes policy options as indented JSON, as the preset file is written.</summary>
    /// <param name="options">The options, such as <c>AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas)</c>.</param>
    /// <returns>The JSON text, with <c>\n</c> line ends and no final line end.</returns>
    public static string Format(AccessPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The writer's line end is the platform's (configurable only from .NET 9); files are the same everywhere.
        return JsonSerializer.Serialize(options, PolicyJsonContext.Default.AccessPolicyOptions).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
