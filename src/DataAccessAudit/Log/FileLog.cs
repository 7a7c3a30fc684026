using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using NodaTime;

namespace DataAccessAudit.Log;

/// <summary>
/// The file log as a sink: appends chained lines to the current segment, rotates by size and age, removes
/// expired segments (recording the removal), and recovers a torn last line on open.
/// </summary>
/// <remarks>
/// Constructing the log takes the directory's <see cref="WriterLock"/> and holds it until disposed, so a second writer
/// on the same directory fails when the host starts, before it could overwrite a record; the segments are opened on
/// first use.
/// Called by the one background writer only. Every write goes to the OS as one <c>pwrite</c> of the whole batch at
/// the committed length (one gathered <c>pwritev</c> of its chunks when a large batch was serialised on two
/// threads by <see cref="LinePipeline"/>); the chain state moves only after the write succeeded, and a failed write (full disk)
/// is cut back to where its batch began before the failure is reported, so the log never holds a record its caller was
/// told was not written, and the retry writes it once, from the same place.
/// </remarks>
internal sealed class FileLog : IAccessEventSink, IGapRecordingSink, IDropCountingSink, IDisposable
{

    private readonly string _directory;
    private readonly long _maxSegmentSize;
    private readonly Duration _rotationInterval;
    private readonly Duration? _retention;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly ChainHasher _hasher;
    private readonly WriterLock _writerLock;
    private readonly LogLineWriter _lines = new();
    private LinePipeline? _pipeline;
    private readonly byte[] _lastChain = new byte[ChainHasher.Size];

    private FileStream? _file;
    private string _segmentPath = string.Empty;
    private byte[]? _segmentPathStatx;
    private string? _disturbedSegment;
    private long _segmentNumber;
    private Instant _segmentCreated;
    private string? _segmentKeyId;
    private bool _segmentHasRecords;
    private long _length;
    private long _lastSeq;
    private bool _dirty;
    private bool _truncatePending;
    private bool _disposed;

    // The segments whose removal is recorded (by the record at _pendingRemovalSequence) but that stay until a
    // checkpoint covers that record; asked again at most once every RemovalCheckInterval.
    private ExpiredSegments? _pendingRemoval;
    private long _pendingRemovalSequence;
    private Instant _pendingRemovalSince;
    private bool _pendingRemovalWarned;
    private Instant _nextRemovalCheck;

    private static readonly Duration RemovalCheckInterval = Duration.FromSeconds(1);

    // How long a removal may wait for a checkpoint before the wait is logged as a warning: checkpoints that stopped
    // (a failing checkpoint writer, a cron that no longer runs) would otherwise keep every expired segment unnoticed.
    private static readonly Duration RemovalWaitWarning = Duration.FromDays(1);

    public FileLog(FileLogOptions options, IClock clock, ILogger<FileLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrEmpty(options.Directory);
        _directory = Path.GetFullPath(options.Directory);
        _maxSegmentSize = options.MaxSegmentSize;
        _rotationInterval = Duration.FromTimeSpan(options.RotationInterval);
        _retention = options.Retention is { } retention ? Duration.FromTimeSpan(retention) : null;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _hasher = CreateHasher(options);
        if (options.KeyFile is not null && KeyFileExposure.ModeOpenToOthers(options.KeyFile) is { } mode)
        {
            FileLogMessages.KeyFileExposed(_logger, options.KeyFile, mode);
        }

        try
        {
            CreateDirectory();
            _writerLock = WriterLock.Acquire(_directory);
        }
        catch
        {
            _hasher.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Gets or sets what writes the bytes of records, segment headers and side files at an offset; null (the default)
    /// for <see cref="RandomAccess.Write(SafeFileHandle, ReadOnlySpan{byte}, long)"/>. Tests set it
    /// to fail part-way through a write, as a full disk does.
    /// </summary>
    internal PositionedWriter? PositionedWrite { get; set; }

    // The key file, when given, is read here rather than at validation only, so that a key rotated into the file is
    // picked up by the next open.
    private static ChainHasher CreateHasher(FileLogOptions options)
    {
        if (options.KeyFile is not null)
        {
            var ring = FileLogKeyRing.Read(options.KeyFile);
            return ChainHasher.Keyed(ring.CurrentKeyId, ring.Keys[ring.CurrentKeyId]);
        }

        return options.Key is null || options.KeyId is null
            ? ChainHasher.Unkeyed()
            : ChainHasher.Keyed(options.KeyId, FileLogKeyRing.TryDecodeKey(options.Key) ?? throw new ArgumentException("FileLogOptions.Key is not base64.", nameof(options)));
    }

    /// <summary>Gets what the last open recovered, if anything: for tests and the host's diagnostics.</summary>
    internal FileLogRecovery? Recovery { get; private set; }

    /// <summary>Gets the sequence number of the last record written.</summary>
    internal long LastSequence => Volatile.Read(ref _lastSeq);

    // Given the log directory, how many records the log's last signed checkpoint covers; null when it has none. Set
    // once, before the first write, by the composition root (the checkpoint's format belongs to the tree, which reads
    // the log, not the other way round). With it, retention deletes segments only once a checkpoint covers the record
    // of their removal: a verifier holding only the checkpoint's public key accepts that records are gone only on a
    // removal record the checkpoint signs, so deleting them earlier makes the log read as broken until the next
    // checkpoint (a second with the writer's checkpoints, an hour with an hourly 'access-report checkpoint').
    internal Func<string, long?>? CheckpointedRecords { get; set; }

    // Told the last sequence number after each committed batch, on the writing thread: the checkpoint writer's
    // record-count trigger. Set once, before the first write.
    internal Action<long>? Committed { get; set; }

    /// <summary>Gets the path of the segment being written.</summary>
    internal string CurrentSegment => _segmentPath;

    public ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        Prepare();
        _lines.Clear();
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lastChain.CopyTo(chain);
        if (LinePipeline.IsWorthwhile(batch.Length))
        {
            _pipeline ??= new LinePipeline();
            var parts = _pipeline.Write(batch, _lastSeq + 1, _hasher, chain);
            Commit(_lastSeq + batch.Length, chain, parts);
            ReportTooLarge(_pipeline.TooLarge);
            return ValueTask.CompletedTask;
        }

        var seq = _lastSeq;
        foreach (ref readonly var record in batch.Span)
        {
            _lines.AppendEvent(record, ++seq, _hasher, chain);
        }

        Commit(seq, chain);
        ReportTooLarge(_lines.TooLarge);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public long TooLargeCount { get; private set; }

    private void ReportTooLarge(int count)
    {
        if (count > 0)
        {
            TooLargeCount += count;
            FileLogMessages.AccessTooLarge(_logger, count, _lastSeq);
        }
    }

    public ValueTask WriteGapAsync(long dropped, Instant since, CancellationToken cancellationToken)
    {
        var now = Prepare();
        _lines.Clear();
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lastChain.CopyTo(chain);
        _lines.AppendGap(_lastSeq + 1, now, dropped, since, _hasher, chain);
        Commit(_lastSeq + 1, chain);
        FileLogMessages.GapRecorded(_logger, dropped, _lastSeq);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is null)
        {
            Open();
        }

        if (_dirty)
        {
            try
            {
                RandomAccess.FlushToDisk(_file!.SafeFileHandle);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw WriteFailed(_segmentPath, exception);
            }

            _dirty = false;
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_dirty && _file is not null)
            {
                RandomAccess.FlushToDisk(_file.SafeFileHandle);
            }
        }
        finally
        {
            _file?.Dispose();
            _writerLock.Dispose();
            _pipeline?.Dispose();
            _hasher.Dispose();
            _lines.Dispose();
        }
    }

    // Opens the segments on first use, then rotates when due.
    private Instant Prepare()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is null)
        {
            Open();
        }

        var now = _clock.GetCurrentInstant();
        var disturbance = Disturbance();
        if (disturbance is not null && !string.Equals(_disturbedSegment, _segmentPath, StringComparison.Ordinal))
        {
            // Once a segment: when the next one cannot be started either (the directory itself was removed), the
            // write fails, saying why, and is retried every flush interval.
            _disturbedSegment = _segmentPath;
            FileLogMessages.SegmentDisturbed(_logger, _segmentPath, disturbance, _lastSeq + 1);
        }

        if (disturbance is not null || !string.Equals(_segmentKeyId, _hasher.KeyId, StringComparison.Ordinal) ||
            (_segmentHasRecords && (_length >= _maxSegmentSize || now - _segmentCreated >= _rotationInterval)))
        {
            StartSegment(now);
        }
        else if (_pendingRemoval is not null && now >= _nextRemovalCheck)
        {
            ApplyRetention(now);
        }

        return now;
    }

    // What something other than the log did to the segment being appended to since the last batch, or null: deleted
    // (its records would go to a file no one can read), renamed or replaced by another file (log rotation's default:
    // they would go to a file that is no longer a segment), or cut shorter than the log wrote it (copytruncate: they
    // would land after a hole of zeros). Checked before each batch, two statx calls; where statx is missing, nothing is
    // told and appending goes on as before.
    private string? Disturbance()
    {
        if (!Statx.TryReadOpen(_file!.SafeFileHandle, out var open))
        {
            return null;
        }

        if (open.Links == 0)
        {
            return "deleted";
        }

        _segmentPathStatx ??= Statx.PathOf(_segmentPath);
        if (!Statx.TryReadIdentity(_segmentPathStatx, out var named) || named != open.Id)
        {
            return "renamed or replaced";
        }

        return open.Length < _length
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cut from {_length} to {open.Length} bytes")
            : null;
    }

    // parts: the pipeline's chunks, written with one gathered pwritev; null for the lines in _lines.
    private void Commit(long seq, ReadOnlySpan<byte> chain, IReadOnlyList<ReadOnlyMemory<byte>>? parts = null)
    {
        var handle = _file!.SafeFileHandle;
        long written = _lines.Length;
        try
        {
            if (_truncatePending)
            {
                RandomAccess.SetLength(handle, _length);
                _truncatePending = false;
            }

            if (parts is null)
            {
                WriteAt(handle, _lines.Written.Span, _length);
            }
            else
            {
                written = 0;
                foreach (var part in parts)
                {
                    written += part.Length;
                }

                if (PositionedWrite is null)
                {
                    RandomAccess.Write(handle, parts, _length);
                }
                else
                {
                    var offset = _length;
                    foreach (var part in parts)
                    {
                        PositionedWrite(handle, part.Span, offset);
                        offset += part.Length;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Part of the batch may be in the file, even whole records of it: cut the file back to where the batch
            // began before saying it failed, so that nothing the caller is told was not written is in the log (a retry
            // would double it). Cutting frees space, so it succeeds on a full disk; if it cannot, the next attempt
            // cuts first.
            try
            {
                RandomAccess.SetLength(handle, _length);
            }
            catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
            {
                _truncatePending = true;
            }

            throw WriteFailed(_segmentPath, exception);
        }

        _length += written;
        Volatile.Write(ref _lastSeq, seq);
        chain.CopyTo(_lastChain);
        _segmentHasRecords = true;
        _dirty = true;
        Committed?.Invoke(seq);
    }

    // path: the file that could not be written, which while a segment is started is the new one, not _segmentPath.
    private static IOException WriteFailed(string path, Exception exception) =>
        new($"The audit log could not write to '{path}': {exception.Message} Nothing already recorded is lost; the records not yet written stay queued and are written when the log can be written again.", exception);

    private void Open()
    {
        try
        {
            var now = _clock.GetCurrentInstant();
            var tail = LogTail.Open(_directory, now, PositionedWrite ?? RandomAccess.Write, _logger, out var recovery);
            if (tail is null)
            {
                Array.Clear(_lastChain);
                _lastSeq = 0;
                StartSegment(now, first: true);
            }
            else
            {
                _file = tail.File;
                _segmentPath = tail.Path;
                _segmentPathStatx = null;
                _segmentNumber = tail.Number;
                _segmentCreated = tail.Created;
                _segmentKeyId = tail.KeyId;
                _segmentHasRecords = tail.HasRecords;
                _lastSeq = tail.LastSequence;
                tail.LastChain.CopyTo(_lastChain);
                _length = tail.File.Length;
            }

            if (recovery is not null)
            {
                Recovery = recovery;
                WriteRecovery(now, recovery);
            }

            ApplyRetention(now);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _file?.Dispose();
            _file = null;
            throw new IOException($"The audit log directory '{_directory}' cannot be opened for writing: {exception.Message}", exception);
        }
    }

    private void CreateDirectory()
    {
        if (System.IO.Directory.Exists(_directory))
        {
            return;
        }

        try
        {
            // Each directory created, the log's and any missing ancestor, is made durable in its parent: a power loss
            // would otherwise take back the directory with every segment in it.
            DirectorySync.Create(_directory, ownerOnly: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The audit log directory '{_directory}' cannot be opened for writing: {exception.Message}", exception);
        }
    }

    private void WriteRecovery(Instant now, FileLogRecovery recovery)
    {
        if (!string.Equals(_segmentKeyId, _hasher.KeyId, StringComparison.Ordinal))
        {
            StartSegment(now);
        }

        _lines.Clear();
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lastChain.CopyTo(chain);
        _lines.AppendRecovery(_lastSeq + 1, now, Path.GetFileName(recovery.Segment), recovery.TornBytes, Path.GetFileName(recovery.MovedTo), _hasher, chain);
        Commit(_lastSeq + 1, chain);
        RandomAccess.FlushToDisk(_file!.SafeFileHandle);
        _dirty = false;
    }

    private void WriteAt(SafeFileHandle handle, ReadOnlySpan<byte> bytes, long offset)
    {
        if (PositionedWrite is { } write)
        {
            write(handle, bytes, offset);
        }
        else
        {
            RandomAccess.Write(handle, bytes, offset);
        }
    }

    private void StartSegment(Instant now, bool first = false)
    {
        if (_file is not null && _dirty)
        {
            RandomAccess.FlushToDisk(_file.SafeFileHandle);
            _dirty = false;
        }

        var number = first ? Math.Max(_segmentNumber, 0) + 1 : _segmentNumber + 1;
        var path = Path.Combine(_directory, LogFormat.SegmentFileName(number));
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lines.Clear();
        _lines.AppendHeader(number, now, _hasher.KeyId, _lastSeq, _lastChain, _hasher, chain);
        FileStream file;
        try
        {
            file = new FileStream(path, OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(path, exception);
        }

        try
        {
            WriteAt(file.SafeFileHandle, _lines.Written.Span, 0);
            RandomAccess.FlushToDisk(file.SafeFileHandle);
            DirectorySync.Flush(_directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The file holds no record yet: removing it loses nothing and keeps the directory a valid log.
            file.Dispose();
            File.Delete(path);
            throw WriteFailed(path, exception);
        }

        _file?.Dispose();
        _file = file;
        _segmentPath = path;
        _segmentPathStatx = null;
        _segmentNumber = number;
        _segmentCreated = now;
        _segmentKeyId = _hasher.KeyId;
        _segmentHasRecords = false;
        _length = _lines.Length;
        chain.CopyTo(_lastChain);
        _dirty = false;
        FileLogMessages.SegmentStarted(_logger, path, _lastSeq + 1);
        if (!first)
        {
            ApplyRetention(now);
        }
    }

    // Removes the oldest closed segments whose successor started more than the retention period ago, after
    // writing (and syncing) a record of the removal; the first remaining segment's header still names the
    // final sequence and link of the removed ones. A log with signed checkpoints keeps the segments until a checkpoint
    // covers the removal record (see CheckpointedRecords); a writer restarted in the meantime records the removal
    // again, which verifiers accept as they accept the first.
    private void ApplyRetention(Instant now)
    {
        if (_retention is not { } retention)
        {
            return;
        }

        if (_pendingRemoval is { } pending)
        {
            _nextRemovalCheck = now + RemovalCheckInterval;
            if (CheckpointedRecords?.Invoke(_directory) is { } signed && signed < _pendingRemovalSequence)
            {
                if (!_pendingRemovalWarned && now - _pendingRemovalSince >= RemovalWaitWarning)
                {
                    _pendingRemovalWarned = true;
                    FileLogMessages.RemovalStillAwaitingCheckpoint(_logger, pending.Paths.Count, _pendingRemovalSequence, signed, (now - _pendingRemovalSince).ToTimeSpan());
                }

                return;
            }

            _pendingRemoval = null;
            Remove(pending);
        }

        if (ExpiredSegments.Find(_directory, _segmentNumber, retention, now) is not { } expired)
        {
            return;
        }

        // The removal record is chained with the writer's key, so it must go into a segment whose header names that
        // key: after a key rotation the log is opened on a segment chained with the old one, and a record linked with
        // the new key there would read as a modified line. Starting a segment under the new key applies retention.
        if (!string.Equals(_segmentKeyId, _hasher.KeyId, StringComparison.Ordinal))
        {
            StartSegment(now);
            return;
        }

        _lines.Clear();
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lastChain.CopyTo(chain);
        var names = expired.Paths.Select(path => Path.GetFileName(path)).ToList();
        var removalSequence = _lastSeq + 1;
        _lines.AppendRemoval(removalSequence, now, names, expired.UpToSequence, expired.UpToChain, _hasher, chain);
        Commit(removalSequence, chain);
        RandomAccess.FlushToDisk(_file!.SafeFileHandle);
        _dirty = false;
        if (CheckpointedRecords?.Invoke(_directory) is null)
        {
            Remove(expired);
            return;
        }

        _pendingRemoval = expired;
        _pendingRemovalSequence = removalSequence;
        _pendingRemovalSince = now;
        _pendingRemovalWarned = false;
        _nextRemovalCheck = now + RemovalCheckInterval;
        FileLogMessages.RemovalAwaitingCheckpoint(_logger, expired.Paths.Count, expired.UpToSequence, removalSequence);
    }

    private void Remove(ExpiredSegments expired)
    {
        foreach (var path in expired.Paths)
        {
            File.Delete(path);
        }

        DirectorySync.Flush(_directory);
        FileLogMessages.SegmentsRemoved(_logger, expired.Paths.Count, expired.UpToSequence);
    }
}
