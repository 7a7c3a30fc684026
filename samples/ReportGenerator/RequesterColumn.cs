using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>A column of the console's requesters table beside the id: its header and its cells, already formatted.</summary>
/// <param name="Header">The header, whose words may go on two lines.</param>
/// <param name="RightAligned">Whether the cells are numbers, aligned on the right.</param>
/// <param name="Cells">One cell a requester, in Spectre markup.</param>
internal sealed record RequesterColumn(string Header, bool RightAligned, IReadOnlyList<string> Cells)
{
    /// <summary>How many cells the column takes without its padding: its widest cell or header line.</summary>
    public int Width(bool twoLineHeaders)
    {
        var header = twoLineHeaders ? Header.Split(' ').Max(word => word.GetCellWidth()) : Header.GetCellWidth();
        return Math.Max(header, Cells.Max(cell => Markup.Remove(cell).GetCellWidth()));
    }
}
