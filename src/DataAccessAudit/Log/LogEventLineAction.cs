namespace DataAccessAudit.Log;

/// <summary>Receives the raw line of one event read from a file log by <see cref="FileLogReader.ReadEventLines"/>.</summary>
/// <param name="line">The line's UTF-8 bytes, without its line end; valid only during the call.</param>
/// <param name="segment">The path of the segment file the line is in.</param>
/// <param name="lineNumber">The line's number in its segment, from 1.</param>
/// <param name="isEvent">
/// Whether the verifier read the line as one JSON object of schema access-event/1 (not whether it holds a valid event);
/// false for a line that is not JSON, which a reader of events words as a problem.
/// </param>
internal delegate void LogEventLineAction(ReadOnlySpan<byte> line, string segment, long lineNumber, bool isEvent);
