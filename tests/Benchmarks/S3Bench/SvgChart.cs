using System.Globalization;
using System.Net;
using System.Text;

namespace Gateway.Benchmarks.S3Bench;

/// <summary>
/// A hand-written SVG bar chart of throughput by target: large transfers in MiB/s above, 4 KiB requests in ops/s
/// below, one bar per target in each group, its value on top.
/// </summary>
internal static class SvgChart
{
    private const int _width = 960;
    private const int _panelHeight = 300;
    private const int _left = 70;
    private const int _top = 70;
    private const int _gap = 90;

    private static readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal)
    {
        ["gateway"] = "#1f77b4",
        ["functions"] = "#7fb3e0",
        ["grpc"] = "#2ca02c",
        ["moto"] = "#ff7f0e",
        ["s3rver"] = "#d62728",
    };

    public static string Draw(IReadOnlyList<TargetResult> results, string title)
    {
        var size = results.Select(r => r.Put?.Bytes).OfType<long>().FirstOrDefault() / Workloads.MiB;
        var large = new (string, Func<TargetResult, double?>)[]
        {
            ($"PUT {size} MiB", r => r.Put?.MiBPerSecond),
            ($"GET {size} MiB", r => r.Get?.MiBPerSecond),
            ("multipart 16 MiB × c=4", r => r.Multipart?.MiBPerSecond),
        };
        var small = new[] { 1, 16 }.SelectMany(c => new[] { "PUT", "GET", "HEAD" }.Select(op =>
            ($"4 KiB {op} c={c.ToString(CultureInfo.InvariantCulture)}", (Func<TargetResult, double?>)(r => r.SmallFor(op, c)?.OpsPerSecond)))).ToArray();

        var height = _top + (2 * _panelHeight) + (2 * _gap);
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{_width}" height="{height}" viewBox="0 0 {_width} {height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect width="{_width}" height="{height}" fill="white"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{_width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">{Escape(title)}</text>""");
        var x = _left;
        foreach (var result in results)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="38" width="14" height="14" fill="{Color(result.Name)}"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{x + 20}" y="50">{Escape(result.Name + (result.Ok ? string.Empty : " (" + result.Status.Split(':')[0] + ")"))}</text>""");
            x += 150;
        }

        Panel(svg, results, "Large transfers, MiB/s", large, _top + 20);
        Panel(svg, results, "4 KiB requests, ops/s", small, _top + _panelHeight + _gap + 20);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, IReadOnlyList<TargetResult> results, string caption, (string Label, Func<TargetResult, double?> Value)[] groups, int top)
    {
        var plotHeight = _panelHeight - 40;
        var bottom = top + plotHeight;
        var plotWidth = _width - _left - 20;
        var max = groups.SelectMany(g => results.Select(g.Value)).OfType<double>().DefaultIfEmpty(1).Max();
        var scale = NiceCeiling(max);
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{_left}" y="{top - 8}" font-size="14" font-weight="bold">{Escape(caption)}</text>""");
        for (var tick = 0; tick <= 4; tick++)
        {
            var y = bottom - (plotHeight * tick / 4.0);
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{_left}" y1="{y:0.#}" x2="{_left + plotWidth}" y2="{y:0.#}" stroke="#ddd"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{_left - 6}" y="{y + 4:0.#}" text-anchor="end">{scale * tick / 4:0.##}</text>""");
        }

        var groupWidth = plotWidth / (double)groups.Length;
        var barWidth = (groupWidth - 20) / Math.Max(1, results.Count);
        for (var g = 0; g < groups.Length; g++)
        {
            var groupLeft = _left + (g * groupWidth) + 10;
            for (var t = 0; t < results.Count; t++)
            {
                var barLeft = groupLeft + (t * barWidth);
                if (groups[g].Value(results[t]) is not { } value)
                {
                    svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{barLeft + (barWidth / 2):0.#}" y="{bottom - 4}" text-anchor="middle" fill="#999">–</text>""");
                    continue;
                }

                var barHeight = plotHeight * value / scale;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{barLeft + 1:0.#}" y="{bottom - barHeight:0.#}" width="{barWidth - 2:0.#}" height="{barHeight:0.#}" fill="{Color(results[t].Name)}"><title>{Escape(results[t].Name)}: {value:0.#}</title></rect>""");
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{barLeft + (barWidth / 2):0.#}" y="{bottom - barHeight - 3:0.#}" text-anchor="middle" font-size="10">{value:0}</text>""");
            }

            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{groupLeft + ((groupWidth - 20) / 2):0.#}" y="{bottom + 16}" text-anchor="middle">{Escape(groups[g].Label)}</text>""");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{_left}" y1="{bottom}" x2="{_left + plotWidth}" y2="{bottom}" stroke="black"/>""");
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>: the axis top.</summary>
    private static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1e-9))));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(v => v >= value);
    }

    private static string Color(string name) => _colors.GetValueOrDefault(name, "#888");

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
