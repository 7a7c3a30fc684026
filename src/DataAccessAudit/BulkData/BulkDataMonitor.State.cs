using System.Text;
using NodaTime;

namespace DataAccessAudit.BulkData;

/// <content>Saving and reading the monitor's state.</content>
public sealed partial class BulkDataMonitor
{
    // "DAA bulk state", then a version. Version 2 names the policy's kinds and the alert levels up front, so that the
    // masks of combined kinds (bit i for the i-th kind) are read back by name, and the raised levels (bit i for the i-th
    // level) by value, when the policy or AlertFractions changed between runs. Version 3 adds each track's highest
    // raised fraction after its raised levels, which a change of AlertFractions must not forget; a version 2 file is
    // still read, taking it from the raised levels it names.
    private static readonly byte[] Magic = "DAABULK\u0003"u8.ToArray();
    private const byte EarlierVersion = 2;

    // The day numbers a date can have (days since 1970-01-01): anything else in a state file is damage.
    private static readonly int FirstDay = DayNumberOf(LocalDate.MinIsoValue);
    private static readonly int LastDay = DayNumberOf(LocalDate.MaxIsoValue);

    private void Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var magic = reader.ReadBytes(Magic.Length).AsSpan();
            if (magic.Length != Magic.Length || !magic[..^1].SequenceEqual(Magic.AsSpan()[..^1]) || (magic[^1] != EarlierVersion && magic[^1] != Magic[^1]))
            {
                throw new InvalidDataException($"expected a bulk-data monitor state (version {EarlierVersion} or {Magic[^1]}).");
            }

            var hasHighest = magic[^1] == Magic[^1];

            // Where each kind of the saving policy is now (-1 when the policy no longer defines it).
            var savedKinds = reader.ReadInt32();
            if (savedKinds is < 0 or > BulkDataPolicy.MaxKinds)
            {
                throw new InvalidDataException($"{savedKinds} kinds; at most {BulkDataPolicy.MaxKinds} are allowed.");
            }

            var kindNow = new int[savedKinds];
            var kindsSaved = 0UL;
            for (var i = 0; i < savedKinds; i++)
            {
                kindNow[i] = IndexOf(reader.ReadString());
                kindsSaved |= kindNow[i] >= 0 ? 1UL << kindNow[i] : 0;
            }

            // Where each saved alert level is now (-1 when it is no longer one): a level raised before the restart
            // stays raised, and a new level starts lowered, until JudgeSavedState judges both against the figures.
            var savedLevels = reader.ReadInt32();
            if (savedLevels is < 0 or > MaxLevels)
            {
                throw new InvalidDataException($"{savedLevels} alert levels; at most {MaxLevels} are allowed.");
            }

            var levelNow = new int[savedLevels];
            var levelSaved = new double[savedLevels];
            for (var i = 0; i < savedLevels; i++)
            {
                levelSaved[i] = reader.ReadDouble();
                levelNow[i] = Array.IndexOf(_levels, levelSaved[i]);
            }

            var tracks = new List<BulkTrack>();
            var count = reader.ReadInt32();
            for (var t = 0; t < count; t++)
            {
                var counterparty = new BulkCounterparty(reader.ReadString(), reader.ReadBoolean());
                var saved = reader.ReadInt32();
                var savedRaised = reader.ReadInt32();
                var highest = hasHighest ? reader.ReadDouble() : HighestOf(savedRaised, levelSaved);
                if (!(highest >= 0 && highest <= 10))
                {
                    throw new InvalidDataException($"{highest} as the highest raised level.");
                }

                var windowEnd = ReadDay(reader);
                var days = reader.ReadInt32();
                var kind = saved >= 0 && saved < savedKinds ? kindNow[saved] : throw new InvalidDataException($"kind {saved} of {savedKinds}.");
                var track = new BulkTrack(counterparty, Math.Max(kind, 0)) { Raised = LevelsNow(savedRaised, levelNow), Highest = highest };
                for (var d = 0; d < days; d++)
                {
                    var day = ReadDay(reader);
                    var cell = new BulkTrackDay { Keyless = reader.ReadInt64(), Combined = KindsNow(reader.ReadUInt64(), kindNow) };
                    var length = reader.ReadInt32();
                    if (length < 0 || length > stream.Length - stream.Position)
                    {
                        throw new InvalidDataException($"a sketch of {length} bytes, with {stream.Length - stream.Position} left.");
                    }

                    if (cell.Keyless < 0)
                    {
                        throw new InvalidDataException($"{cell.Keyless} subjects without keys.");
                    }

                    cell.Keys = DistinctCountSketch.FromBytes(reader.ReadBytes(length));
                    track.Days[day] = cell;
                }

                // A kind the policy no longer defines is dropped; its raised levels no longer mean anything.
                if (kind >= 0)
                {
                    track.MoveTo(windowEnd);
                    tracks.Add(track);
                }
            }

            foreach (var track in tracks)
            {
                _tracks[(track.Counterparty.Name, track.Counterparty.IsOrganization, track.Kind)] = track;
            }

            // A kind the saving policy did not define has no saved figures, even where its accesses were counted under
            // a broader kind (genomes as 'omic data): that sketch holds other people too, so no figure of the new kind
            // can be taken from it, and its counterparties' alerts would wait on accesses still to come. Said once per
            // kind, when the state counted anything, so that the compliance team knows to read a report.
            if (count > 0)
            {
                for (var kind = 0; kind < _policy.Kinds.Count; kind++)
                {
                    if ((kindsSaved & (1UL << kind)) == 0)
                    {
                        BulkDataMessages.KindNotInState(_logger, _policy.Kinds[kind].Name, path);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or FormatException or EndOfStreamException or UnauthorizedAccessException)
        {
            _tracks.Clear();
            BulkDataMessages.StateUnreadable(_logger, path, exception);
        }
    }

    // The saved levels were raised against the thresholds and alert levels of the run that saved them. A figure past a
    // lowered threshold or a new level alerts now, at start, instead of waiting for a new person of its counterparty
    // and kind, who may never come; a level the figure is now below (a raised threshold) is lowered, so that its next
    // crossing alerts once. Check is the one judge, as for every access: each window still ends on the latest day its
    // track saw, and its old days leave it when a later access moves it, not while the process was down. What changed
    // is saved at once, so that a process crashing before its next flush does not alert again at every start.
    //
    // Called once, when the host has started (BulkDataMonitorHostStart) or before the first access is counted: not from
    // the constructor, which runs wherever the container first resolves the monitor, possibly before the app's meter
    // listeners or exporters exist, so that the alert's count would be lost and its moment would depend on who asked.
    // Before the first access, so that the saved figure is judged and dated as it was saved, ahead of what the access
    // adds.
    internal void JudgeSavedState()
    {
        lock (_lock)
        {
            if (_savedStateJudged)
            {
                return;
            }

            _savedStateJudged = true;
            foreach (var track in _tracks.Values)
            {
                Check(track);
            }

            if (_dirty)
            {
                SaveLocked();
            }
        }
    }

    private static int ReadDay(BinaryReader reader)
    {
        var day = reader.ReadInt32();
        return day >= FirstDay && day <= LastDay ? day : throw new InvalidDataException($"day {day} is not a date.");
    }

    // A mask of the saving policy's kinds as a mask of this policy's, by name; kinds it no longer defines are dropped.
    private static ulong KindsNow(ulong saved, int[] kindNow)
    {
        var mask = 0UL;
        for (; saved != 0; saved &= saved - 1)
        {
            var bit = System.Numerics.BitOperations.TrailingZeroCount(saved);
            if (bit < kindNow.Length && kindNow[bit] >= 0)
            {
                mask |= 1UL << kindNow[bit];
            }
        }

        return mask;
    }

    // The highest of the saving monitor's raised levels, by value, whether or not this one still defines it: a version 2
    // state kept no other record of a level raised and then dropped from AlertFractions.
    private static double HighestOf(int saved, double[] levelSaved)
    {
        var highest = 0.0;
        for (var bit = 0; bit < levelSaved.Length; bit++)
        {
            if ((saved & (1 << bit)) != 0)
            {
                highest = Math.Max(highest, levelSaved[bit]);
            }
        }

        return highest;
    }

    // Raised levels of the saving monitor as bits of this one's levels, by value; levels no longer defined are dropped.
    private static int LevelsNow(int saved, int[] levelNow)
    {
        var raised = 0;
        for (var bit = 0; bit < levelNow.Length; bit++)
        {
            if ((saved & (1 << bit)) != 0 && levelNow[bit] >= 0)
            {
                raised |= 1 << levelNow[bit];
            }
        }

        return raised;
    }

    private void SaveLocked()
    {
        var path = _statePath!;
        var temporary = path + ".tmp";
        var created = false;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                created = true;
                writer.Write(Magic);
                writer.Write(_policy.Kinds.Count);
                foreach (var kind in _policy.Kinds)
                {
                    writer.Write(kind.Name);
                }

                writer.Write(_levels.Length);
                foreach (var level in _levels)
                {
                    writer.Write(level);
                }

                writer.Write(_tracks.Count);
                foreach (var track in _tracks.Values)
                {
                    writer.Write(track.Counterparty.Name);
                    writer.Write(track.Counterparty.IsOrganization);
                    writer.Write(track.Kind);
                    writer.Write(track.Raised);
                    writer.Write(track.Highest);
                    writer.Write(track.WindowEnd);
                    writer.Write(track.Days.Count);
                    foreach (var (day, cell) in track.Days)
                    {
                        writer.Write(day);
                        writer.Write(cell.Keyless);
                        writer.Write(cell.Combined);
                        var bytes = cell.Keys.ToByteArray();
                        writer.Write(bytes.Length);
                        writer.Write(bytes);
                    }
                }

                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            _dirty = false;
            _lastSave = _clock.GetCurrentInstant();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A partial file left behind on a full disk would take the space the log needs; the state is saved whole
            // at the next flush. A temporary file this save could not open is another writer's: it stays.
            if (created)
            {
                TryDelete(temporary);
            }

            BulkDataMessages.StateNotSaved(_logger, path, exception);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the next save overwrites it.
        }
    }
}
