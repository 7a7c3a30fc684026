using System.Text;

namespace DataAccessAudit.BulkData;

/// <content>Saving and reading the monitor's state.</content>
public sealed partial class BulkDataMonitor
{
    // "DAA bulk state", then a version.
    private static readonly byte[] Magic = "DAABULK\u0001"u8.ToArray();

    private void Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException($"expected a bulk-data monitor state (version {Magic[^1]}).");
            }

            var tracks = new List<BulkTrack>();
            var count = reader.ReadInt32();
            for (var t = 0; t < count; t++)
            {
                var counterparty = new BulkCounterparty(reader.ReadString(), reader.ReadBoolean());
                var kindName = reader.ReadString();
                var raised = reader.ReadInt32();
                var windowEnd = reader.ReadInt32();
                var days = reader.ReadInt32();
                var kind = IndexOf(kindName);
                var track = new BulkTrack(counterparty, Math.Max(kind, 0)) { Raised = raised };
                for (var d = 0; d < days; d++)
                {
                    var day = reader.ReadInt32();
                    var cell = new BulkTrackDay { Keyless = reader.ReadInt64(), Combined = reader.ReadUInt64() };
                    cell.Keys = DistinctCountSketch.FromBytes(reader.ReadBytes(reader.ReadInt32()));
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
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or FormatException or EndOfStreamException or UnauthorizedAccessException)
        {
            _tracks.Clear();
            BulkDataMessages.StateUnreadable(_logger, path, exception);
        }
    }

    private void SaveLocked()
    {
        var path = _statePath!;
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(_tracks.Count);
                foreach (var track in _tracks.Values)
                {
                    writer.Write(track.Counterparty.Name);
                    writer.Write(track.Counterparty.IsOrganization);
                    writer.Write(_policy.Kinds[track.Kind].Name);
                    writer.Write(track.Raised);
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
            BulkDataMessages.StateNotSaved(_logger, path, exception);
        }
    }
}
