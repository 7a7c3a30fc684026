using Microsoft.Playwright;

namespace DataAccessAudit.ReportGenerator.Tests;

// Renders the demo's report.html in headless Chromium (Debian's, driven by Playwright; no browser is downloaded) at a
// phone's width and a desktop's: the page must never scroll sideways, its text and its charts' text must stay
// readable, and every section must be there.
public sealed class ReportPageBrowserTests(DemoLogFixture demo) : IClassFixture<DemoLogFixture>
{
    // Where Debian's chromium package puts the browser; DATAACCESSAUDIT_CHROMIUM overrides it.
    private const string DefaultChromium = "/usr/bin/chromium";

    private static readonly string[] Sections =
    [
        "needing-action", "matrix", "timeline", "findings", "categories", "requesters", "approvals", "residency", "integrity", "input-problems", "source",
    ];

    // A script's helper: how an element's text is laid out in lines, and whether each line break comes after a
    // character mayBreakAfter allows (after: the first that it does not). A space at the end of a line has no width:
    // it is still what the line broke after.
    private const string LineBreaks = """

              const lineBreaks = (element, mayBreakAfter) => {
                const text = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                let top = null, before = null, lines = 0;
                for (let node = text.nextNode(); node; node = text.nextNode()) {
                  for (let i = 0; i < node.textContent.length; i++) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + 1);
                    const box = range.getClientRects()[0];
                    if (!box || box.width === 0) {
                      if (/\s/.test(node.textContent[i])) before = node.textContent[i];
                      continue;
                    }
                    if (top === null || box.top > top + 1) {
                      if (top !== null && !mayBreakAfter(before)) return { lines: lines + 1, allowed: false, after: before };
                      lines++;
                    }
                    top = box.top;
                    before = node.textContent[i];
                  }
                }
                return { lines, allowed: true, after: null };
              };

        """;

    [Theory]
    [InlineData(390)]
    [InlineData(1400)]
    public async Task ReportPage_FitsTheScreen_WithReadableText_AndEverySection(int width)
    {
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Open(Path.Combine(demo.Output, "report.html"), width);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"at {width} px the page scrolls sideways by {overflow} px");

        // The smallest text as rendered: HTML text by its computed size, chart text by its size times the chart's scale.
        var smallest = await page.EvaluateAsync<double>("""
            () => {
              let min = Infinity;
              for (const e of document.querySelectorAll('body *')) {
                const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
                if (!own || e.getClientRects().length === 0) continue;
                const size = parseFloat(getComputedStyle(e).fontSize);
                const scale = e instanceof SVGElement && e.getScreenCTM() ? e.getScreenCTM().a : 1;
                min = Math.min(min, size * scale);
              }
              return min;
            }
            """);
        Assert.True(smallest >= 11, $"at {width} px some text renders at {smallest:0.0} px, below 11 px");

        // Every chart's text inside its chart, as the browser lays it out: a label running past the edge is cut off.
        var clipped = await page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              for (const svg of document.querySelectorAll('svg.chart')) {
                const v = svg.viewBox.baseVal;
                for (const t of svg.querySelectorAll('text')) {
                  const b = t.getBBox();
                  if (b.x < v.x - 0.5 || b.y < v.y - 0.5 || b.x + b.width > v.x + v.width + 0.5 || b.y + b.height > v.y + v.height + 0.5) {
                    out.push(`${svg.closest('section')?.id}: '${t.textContent}' spans ${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)} x ${b.y.toFixed(1)}..${(b.y + b.height).toFixed(1)} in ${v.width} x ${v.height}`);
                  }
                }
              }
              return out;
            }
            """);
        Assert.True(clipped.Length == 0, $"at {width} px chart text runs past its chart: {string.Join("; ", clipped)}");

        // No text cut off by a box that hides what overflows it (a card, a meter, a section).
        var hidden = await page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              for (const e of document.querySelectorAll('body *')) {
                const style = getComputedStyle(e);
                const hides = v => v === 'hidden' || v === 'clip';
                if (e.textContent.trim().length === 0 || e.getClientRects().length === 0) continue;
                if ((hides(style.overflowX) && e.scrollWidth > e.clientWidth + 1) || (hides(style.overflowY) && e.scrollHeight > e.clientHeight + 1)) {
                  out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className}: ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}`);
                }
              }
              return out;
            }
            """);
        Assert.True(hidden.Length == 0, $"at {width} px text is cut off by its box: {string.Join("; ", hidden)}");

        // An id breaks across lines only after one of its separators (or a space), never inside a word.
        var broken = await page.EvaluateAsync<string[]>("() => {" + LineBreaks + """
              const out = [];
              const mayBreakAfter = c => '/-_.:@'.includes(c) || /\s/.test(c);
              for (const cell of document.querySelectorAll('td.id, span.id')) {
                const breaks = lineBreaks(cell, mayBreakAfter);
                if (!breaks.allowed) out.push(`'${cell.textContent}' breaks after '${breaks.after}'`);
              }
              return out;
            }
            """);
        Assert.True(broken.Length == 0, $"at {width} px an id breaks inside a word: {string.Join("; ", broken.Take(5))}");

        foreach (var id in Sections)
        {
            Assert.True(await page.Locator($"#{id}").IsVisibleAsync(), $"at {width} px section #{id} is missing or hidden");
        }

        // On a desktop a row of the accesses needing action reads without scrolling sideways.
        if (width >= 1280)
        {
            var table = await page.EvaluateAsync<int[]>("() => { const box = document.querySelector('#needing-action .scroll'); return [box.scrollWidth, box.clientWidth]; }");
            Assert.True(table[0] <= table[1] + 1, $"at {width} px the accesses needing action are {table[0]} px wide in a box of {table[1]} px");
        }
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1400)]
    public async Task ReportPage_TotalOfTwentyTwoCharacters_FitsItsCard_AtAReadableSize_BreakingOnlyAfterASeparator(int width)
    {
        // Two events of the most subjects an event may name: 18,014,398,509,481,982 subject records.
        var directory = Directory.CreateTempSubdirectory("access-report-big-total-").FullName;
        try
        {
            var events = Path.Combine(directory, "events.jsonl");
            File.WriteAllLines(events, Enumerable.Range(1, 2).Select(i =>
                $$"""{"schema":"access-event/1","id":"e-{{i}}","time":"2021-09-01T10:00:0{{i}}Z","requester":{"id":"emp-1","region":"US"},"resource":{"id":"user/{{i}}/messages","category":"protected","region":"US"},"action":"read","subjects":9007199254740991}"""));
            var output = Path.Combine(directory, "out");
            Assert.Equal(0, CommandRun.Of("report", "--events", events, "--format", "html", "--out", output).ExitCode);

            await using var browser = await Browser.LaunchAsync();
            var page = await browser.Open(Path.Combine(output, "report.html"), width);

            // Each figure: its text, how many lines it takes, whether every line but the first starts after a
            // separator, its size in px, and whether it lies inside its card.
            var figures = await page.EvaluateAsync<string[]>("() => {" + LineBreaks + """
                  return [...document.querySelectorAll('.kpi .value')].map(e => {
                    const breaks = lineBreaks(e, c => c === ',');
                    const all = document.createRange();
                    all.selectNodeContents(e);
                    const card = e.closest('.kpi').getBoundingClientRect();
                    const inside = [...all.getClientRects()].every(r => r.left >= card.left - 0.5 && r.right <= card.right + 0.5);
                    return `${e.textContent}|${breaks.lines}|${breaks.allowed}|${parseFloat(getComputedStyle(e).fontSize)}|${inside}`;
                  });
                }
                """);
            Assert.Contains(figures, f => f.StartsWith("18,014,398,509,481,982|", StringComparison.Ordinal));
            foreach (var figure in figures)
            {
                var parts = figure.Split('|');
                Assert.True(parts[2] == "true", $"at {width} px the total {parts[0]} breaks between digits");
                Assert.True(width < 1280 || parts[1] == "1", $"at {width} px the total {parts[0]} takes {parts[1]} lines");
                Assert.True(double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) >= 11, $"at {width} px the total {parts[0]} is drawn at {parts[3]} px, below 11 px");
                Assert.True(parts[4] == "true", $"at {width} px the total {parts[0]} runs past its card");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // The browser for a test: Debian's chromium, launched without anything that reaches the network.
    private sealed class Browser(IPlaywright playwright, IBrowser chromium) : IAsyncDisposable
    {
        public IBrowser Chromium { get; } = chromium;

        // A page of the given width showing a file.
        public async Task<IPage> Open(string path, int width)
        {
            var page = await Chromium.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(path).AbsoluteUri);
            return page;
        }

        public static async Task<Browser> LaunchAsync()
        {
            var path = Environment.GetEnvironmentVariable("DATAACCESSAUDIT_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultChromium;
            if (!File.Exists(path))
            {
                // CI installs chromium (.ci/run): there, a missing browser is a failure, never a skip.
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"chromium not found at {path}: .ci/run installs Debian's chromium package");
                Assert.Skip($"chromium not found at {path}; install Debian's chromium package (or set DATAACCESSAUDIT_CHROMIUM) to run the page's browser test");
            }

            var playwright = await Playwright.CreateAsync();
            try
            {
                var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = path,
                    Headless = true,
                    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                });
                return new Browser(playwright, chromium);
            }
            catch
            {
                playwright.Dispose();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Chromium.DisposeAsync();
            playwright.Dispose();
        }
    }
}
