using System.Diagnostics.CodeAnalysis;

namespace DataAccessAudit.Policy;

/// <summary>The policies that ship with the library, by the name a configuration file or a command line uses.</summary>
public static class AccessPolicyPresets
{
    private static readonly AccessPolicy[] Presets = [AccessPolicy.ProjectTexas];

    /// <summary>The name of <see cref="AccessPolicy.ProjectTexas"/>: <c>project-texas</c>.</summary>
    public const string ProjectTexasName = "project-texas";

    /// <summary>Gets the names of the presets, such as <c>project-texas</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Presets.Select(preset => preset.Name)];

    /// <summary>Gets a preset by its name (exact, lower-case).</summary>
    /// <param name="name">The name, such as <c>project-texas</c>.</param>
    /// <param name="policy">The preset.</param>
    /// <returns>True when <paramref name="name"/> names a preset.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out AccessPolicy? policy)
    {
        policy = Array.Find(Presets, preset => string.Equals(preset.Name, name, StringComparison.Ordinal));
        return policy is not null;
    }
}
