using System.Diagnostics.CodeAnalysis;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Regions;

/// <summary>
/// A region of the world as an ISO 3166-1 alpha-2 code: where a requester physically was,
/// where the people a record is about live, or where a data centre stands.
/// </summary>
/// <remarks>
/// <para>
/// All 249 officially assigned codes are valid. <c>ZZ</c> (and <c>default(Region)</c>) is
/// <see cref="Unknown"/>: a region nobody recorded, which a policy must treat as abroad.
/// Codes that are only reserved or commonly mistaken (<c>UK</c>, <c>EU</c>, <c>XX</c>) are rejected,
/// because a typo that silently becomes "some region" would hide exactly the access an audit is for.
/// </para>
/// <para>
/// The value is a 16-bit index into the 26 x 26 code space, so equality, hashing and use as an
/// array index cost nothing and the type allocates nothing.
/// </para>
/// </remarks>
public readonly struct Region : IEquatable<Region>, IComparable<Region>
{
    private const int LetterCount = 26;

    /// <summary>The number of distinct values: every two-letter code plus <see cref="Unknown"/>.</summary>
    internal const int IndexCount = (LetterCount * LetterCount) + 1;

    // Index 0 is Unknown; a code "XY" is stored as 1 + (X - 'A') * 26 + (Y - 'A').
    private readonly ushort _index;

    // The index in code order, with Unknown where its code ZZ sorts: last.
    private int SortKey => _index == 0 ? IndexCount : _index;

    private Region(int index) => _index = (ushort)index;

    /// <summary>The unknown region, written <c>ZZ</c>. It is also the default value.</summary>
    public static Region Unknown => default;

    /// <summary>Gets the upper-case two-letter code, <c>ZZ</c> for <see cref="Unknown"/>.</summary>
    public string Code => RegionCodes.CodeAt(_index);

    /// <summary>Gets a value indicating whether this is <see cref="Unknown"/>.</summary>
    public bool IsUnknown => _index == 0;

    /// <summary>Gets every assigned region (249, sorted by code), without <see cref="Unknown"/>.</summary>
    public static IReadOnlyList<Region> All => RegionCodes.Assigned;

    /// <summary>A dense index in [0, 677), 0 for <see cref="Unknown"/>: lets tables be plain arrays.</summary>
    internal int Index => _index;

    /// <summary>
    /// Parses an ISO 3166-1 alpha-2 code, ignoring case. <c>ZZ</c> gives <see cref="Unknown"/>.
    /// </summary>
    /// <param name="code">The code, such as <c>US</c> or <c>cn</c>.</param>
    /// <returns>The region.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="code"/> is not an assigned code nor <c>ZZ</c>.</exception>
    public static Region Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return TryParse(code.AsSpan(), out var region) ? region : throw InvalidCode(code);
    }

    /// <summary>Tries to parse an ISO 3166-1 alpha-2 code, ignoring case.</summary>
    /// <param name="code">The code; null gives false.</param>
    /// <param name="region">The region, or <see cref="Unknown"/> when parsing fails.</param>
    /// <returns>True when <paramref name="code"/> is an assigned code or <c>ZZ</c>.</returns>
    public static bool TryParse([NotNullWhen(true)] string? code, out Region region)
    {
        if (code is null)
        {
            region = Unknown;
            return false;
        }

        return TryParse(code.AsSpan(), out region);
    }

    /// <summary>Tries to parse an ISO 3166-1 alpha-2 code from characters, ignoring case.</summary>
    /// <param name="code">The characters of the code.</param>
    /// <param name="region">The region, or <see cref="Unknown"/> when parsing fails.</param>
    /// <returns>True when <paramref name="code"/> is an assigned code or <c>ZZ</c>.</returns>
    public static bool TryParse(ReadOnlySpan<char> code, out Region region)
    {
        region = Unknown;
        if (code.Length != 2)
        {
            return false;
        }

        int first = code[0] | 0x20, second = code[1] | 0x20;
        if (first is < 'a' or > 'z' || second is < 'a' or > 'z')
        {
            return false;
        }

        if (first == 'z' && second == 'z')
        {
            return true;
        }

        var index = 1 + ((first - 'a') * LetterCount) + (second - 'a');
        if (!RegionCodes.IsAssigned(index))
        {
            return false;
        }

        region = new Region(index);
        return true;
    }

    /// <summary>Tries to parse an ISO 3166-1 alpha-2 code from UTF-8 bytes, ignoring case.</summary>
    /// <param name="utf8Code">The UTF-8 bytes of the code.</param>
    /// <param name="region">The region, or <see cref="Unknown"/> when parsing fails.</param>
    /// <returns>True when <paramref name="utf8Code"/> is an assigned code or <c>ZZ</c>.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Code, out Region region)
    {
        if (utf8Code.Length != 2)
        {
            region = Unknown;
            return false;
        }

        Span<char> chars = [(char)utf8Code[0], (char)utf8Code[1]];
        return TryParse(chars, out region);
    }

    internal static Region FromIndex(int index) => new(index);

    // The code is quoted with its control characters escaped and cut short: it is untrusted text bound for a log.
    internal static FormatException InvalidCode(string code) => new(
        $"'{ShownValue.Of(code)}' is not an ISO 3166-1 alpha-2 region code: expected one of the 249 assigned two-letter codes (such as US, GB, CN), or ZZ for unknown.");

    /// <inheritdoc/>
    public bool Equals(Region other) => _index == other._index;

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Region other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _index;

    /// <summary>
    /// Orders regions by code in ordinal order, <see cref="Unknown"/> as its code <c>ZZ</c>: after every assigned code.
    /// This is the order of every region-keyed list in a report.
    /// </summary>
    /// <param name="other">The region to compare with.</param>
    /// <returns>A negative number, zero or a positive number.</returns>
    public int CompareTo(Region other) => SortKey.CompareTo(other.SortKey);

    /// <summary>Returns the upper-case code, <c>ZZ</c> for <see cref="Unknown"/>.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => Code;

    /// <summary>Compares two regions for equality.</summary>
    /// <param name="left">The first region.</param>
    /// <param name="right">The second region.</param>
    /// <returns>True when both are the same region.</returns>
    public static bool operator ==(Region left, Region right) => left.Equals(right);

    /// <summary>Compares two regions for inequality.</summary>
    /// <param name="left">The first region.</param>
    /// <param name="right">The second region.</param>
    /// <returns>True when the regions differ.</returns>
    public static bool operator !=(Region left, Region right) => !left.Equals(right);

    /// <summary>Orders two regions by code.</summary>
    /// <param name="left">The first region.</param>
    /// <param name="right">The second region.</param>
    /// <returns>True when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(Region left, Region right) => left.CompareTo(right) < 0;

    /// <summary>Orders two regions by code.</summary>
    /// <param name="left">The first region.</param>
    /// <param name="right">The second region.</param>
    /// <returns>True when <paramref name="left"/> sorts first or is equal.</returns>
    public static bool operator <=(Region left, Region right) => left.CompareTo(right) <= 0;

    /// <summary>Orders two regions by code.</summary>
    /// <param name="left">The first region.</param>
    /// <param name="right">The second region.</param>
    /// <returns>True when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(Region left, Region right) => left.CompareTo(right) > 0;

    /// <summary>Orders two regions by code.</summary>
    /// <param name="left">The first region.</param>
    /// <param name="right">The second region.</param>
    /// <returns>True when <paramref name="left"/> sorts last or is equal.</returns>
    public static bool operator >=(Region left, Region right) => left.CompareTo(right) >= 0;
}
