using System.Diagnostics.CodeAnalysis;
using System.Text;
using DataAccessAudit.Events;

namespace DataAccessAudit.Policy;

/// <summary>
/// Something a policy noticed about an access, named by a stable string such as
/// <c>cross-border-protected-access</c>.
/// </summary>
/// <remarks>
/// The built-in findings are the statics below. A decision read back from another system may carry
/// other names; they are kept as they are.
/// </remarks>
public readonly struct Finding : IEquatable<Finding>
{
    private static readonly string[] BuiltInNames =
    [
        "cross-border-protected-access",
        "unknown-requester-region",
        "country-of-concern-access",
        "stored-outside-home-jurisdiction",
        "unknown-data-category",
    ];

    private static readonly Finding[] BuiltIns = [.. BuiltInNames.Select(name => new Finding(name))];

    private static readonly byte[][] BuiltInUtf8Names = [.. BuiltInNames.Select(Encoding.UTF8.GetBytes)];

    private readonly string? _name;

    // One more than the index among the built-in names, 0 for any other: looked up once, not on every evaluation.
    private readonly int _builtIn;

    /// <summary>Creates a finding from its name.</summary>
    /// <param name="name">The stable name.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space, or holds U+0000 or an unpaired surrogate (see <see cref="AccessEvent"/>).</exception>
    public Finding(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        EventText.Check(name, nameof(name), "The finding name");
        var index = Array.IndexOf(BuiltInNames, name);
        _name = index >= 0 ? BuiltInNames[index] : name;
        _builtIn = index + 1;
    }

    /// <summary>Data whose cross-border rule requires approval was read from outside its home jurisdiction without a valid approval.</summary>
    public static Finding CrossBorderProtectedAccess { get; } = new(BuiltInNames[0]);

    /// <summary>Nobody recorded where the requester was; the access counts as crossing a border.</summary>
    public static Finding UnknownRequesterRegion { get; } = new(BuiltInNames[1]);

    /// <summary>Protected data was read from a country of concern, even under an approval.</summary>
    public static Finding CountryOfConcernAccess { get; } = new(BuiltInNames[2]);

    /// <summary>Protected data was served from a data centre outside its home jurisdiction.</summary>
    public static Finding StoredOutsideHomeJurisdiction { get; } = new(BuiltInNames[3]);

    /// <summary>The event's category is not in the policy's taxonomy; it was treated as protected.</summary>
    public static Finding UnknownDataCategory { get; } = new(BuiltInNames[4]);

    /// <summary>Gets the stable name.</summary>
    public string Name => _name ?? string.Empty;

    internal static int BuiltInCount => BuiltInNames.Length;

    /// <summary>Gets the built-in finding whose name is given in UTF-8, as readers of files meet it.</summary>
    /// <param name="utf8Name">The name in UTF-8.</param>
    /// <param name="finding">The built-in finding (the same instance as the static property).</param>
    /// <returns>True when <paramref name="utf8Name"/> names a built-in finding; false for any other name.</returns>
    public static bool TryGetBuiltIn(ReadOnlySpan<byte> utf8Name, out Finding finding)
    {
        for (var i = 0; i < BuiltInUtf8Names.Length; i++)
        {
            if (utf8Name.SequenceEqual(BuiltInUtf8Names[i]))
            {
                finding = BuiltIns[i];
                return true;
            }
        }

        finding = default;
        return false;
    }

    internal static Finding BuiltIn(int index) => BuiltIns[index];

    internal int BuiltInIndex => _builtIn - 1;

    /// <inheritdoc/>
    public bool Equals(Finding other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Finding other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Returns the stable name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>Compares two findings by name.</summary>
    /// <param name="left">The first finding.</param>
    /// <param name="right">The second finding.</param>
    /// <returns>True when the names are equal.</returns>
    public static bool operator ==(Finding left, Finding right) => left.Equals(right);

    /// <summary>Compares two findings by name.</summary>
    /// <param name="left">The first finding.</param>
    /// <param name="right">The second finding.</param>
    /// <returns>True when the names differ.</returns>
    public static bool operator !=(Finding left, Finding right) => !left.Equals(right);
}
