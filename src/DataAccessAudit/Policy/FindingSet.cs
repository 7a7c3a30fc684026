using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DataAccessAudit.Policy;

/// <summary>
/// The findings of one decision, as a set. Built-in findings are bits, so the evaluator builds a set without
/// allocating; names from other systems ride along in a small array.
/// </summary>
/// <remarks>
/// A collection expression builds a set (<c>FindingSet set = [Finding.CountryOfConcernAccess];</c>) through
/// <see cref="Create(ReadOnlySpan{Finding})"/>; without the builder, the compiler would call <see cref="Add"/> and drop
/// the new set it returns.
/// </remarks>
[CollectionBuilder(typeof(FindingSet), nameof(Create))]
public readonly struct FindingSet : IReadOnlyCollection<Finding>, IEquatable<FindingSet>
{
    private readonly int _builtIn;
    private readonly Finding[]? _others;

    private FindingSet(int builtIn, Finding[]? others)
    {
        _builtIn = builtIn;
        _others = others;
    }

    /// <summary>Gets the empty set.</summary>
    public static FindingSet Empty => default;

    /// <summary>Gets how many findings the set holds.</summary>
    public int Count => BitOperations.PopCount((uint)_builtIn) + (_others?.Length ?? 0);

    /// <summary>Gets a value indicating whether the set is empty.</summary>
    public bool IsEmpty => _builtIn == 0 && _others is null;

    /// <summary>Creates a set from findings; duplicates are kept once.</summary>
    /// <param name="findings">The findings.</param>
    /// <returns>The set.</returns>
    public static FindingSet Create(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var set = Empty;
        foreach (var finding in findings)
        {
            set = set.Add(finding);
        }

        return set;
    }

    /// <summary>Creates a set from findings; duplicates are kept once. Collection expressions call this.</summary>
    /// <param name="findings">The findings.</param>
    /// <returns>The set.</returns>
    public static FindingSet Create(ReadOnlySpan<Finding> findings)
    {
        var set = Empty;
        foreach (var finding in findings)
        {
            set = set.Add(finding);
        }

        return set;
    }

    /// <summary>Returns a set that also holds <paramref name="finding"/>.</summary>
    /// <param name="finding">The finding to add.</param>
    /// <returns>The new set; this one if it already held the finding.</returns>
    public FindingSet Add(Finding finding)
    {
        if (finding.Name.Length == 0)
        {
            throw new ArgumentException("A finding must have a name.", nameof(finding));
        }

        var index = finding.BuiltInIndex;
        if (index >= 0)
        {
            return new FindingSet(_builtIn | (1 << index), _others);
        }

        if (Contains(finding))
        {
            return this;
        }

        return new FindingSet(_builtIn, _others is null ? [finding] : [.. _others, finding]);
    }

    // The built-in findings as bits (bit i: Finding.BuiltIn(i)), as the fast readers count them.
    internal int BuiltInBits => _builtIn;

    internal FindingSet AddBuiltIn(Finding builtIn) => new(_builtIn | (1 << builtIn.BuiltInIndex), _others);

    /// <summary>Tells whether the set holds a finding.</summary>
    /// <param name="finding">The finding.</param>
    /// <returns>True when it does.</returns>
    public bool Contains(Finding finding)
    {
        var index = finding.BuiltInIndex;
        if (index >= 0)
        {
            return (_builtIn & (1 << index)) != 0;
        }

        return _others is not null && Array.IndexOf(_others, finding) >= 0;
    }

    /// <summary>Tells whether the set holds any finding other than <paramref name="finding"/>.</summary>
    /// <param name="finding">The finding to leave out.</param>
    /// <returns>True when another finding is present.</returns>
    public bool ContainsOtherThan(Finding finding) => Count - (Contains(finding) ? 1 : 0) > 0;

    /// <summary>Enumerates the built-in findings in their fixed order, then the others in the order they were added.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Finding> IEnumerable<Finding>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Compares two sets as sets.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>True when both hold the same findings.</returns>
    public bool Equals(FindingSet other)
    {
        if (_builtIn != other._builtIn || Count != other.Count)
        {
            return false;
        }

        foreach (var finding in other._others ?? [])
        {
            if (!Contains(finding))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is FindingSet other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = _builtIn;
        foreach (var finding in _others ?? [])
        {
            hash ^= finding.GetHashCode();
        }

        return hash;
    }

    /// <summary>Returns the names, comma-separated.</summary>
    /// <returns>The names.</returns>
    public override string ToString() => string.Join(", ", this);

    /// <summary>Compares two sets as sets.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns>True when both hold the same findings.</returns>
    public static bool operator ==(FindingSet left, FindingSet right) => left.Equals(right);

    /// <summary>Compares two sets as sets.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(FindingSet left, FindingSet right) => !left.Equals(right);

    /// <summary>Enumerates a <see cref="FindingSet"/> without allocating.</summary>
    public struct Enumerator : IEnumerator<Finding>
    {
        private readonly FindingSet _set;
        private int _position;

        internal Enumerator(FindingSet set)
        {
            _set = set;
            _position = -1;
        }

        /// <inheritdoc/>
        public Finding Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext()
        {
            while (++_position < Finding.BuiltInCount)
            {
                if ((_set._builtIn & (1 << _position)) != 0)
                {
                    Current = Finding.BuiltIn(_position);
                    return true;
                }
            }

            var other = _position - Finding.BuiltInCount;
            if (_set._others is { } others && other < others.Length)
            {
                Current = others[other];
                return true;
            }

            return false;
        }

        /// <inheritdoc/>
        public void Reset() => _position = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }
}
