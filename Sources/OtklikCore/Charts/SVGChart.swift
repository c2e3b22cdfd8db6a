import Foundation

/// Charts drawn on the server as SVG: no script, no tile server, printable, and readable without colour —
/// every bar carries its number in text, the comparison bar is hatched as well as paler, and each chart
/// has a title and a description for screen readers.
public enum SVGChart {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        /// The same item in the comparison period, drawn hatched under the bar.
        public var comparison: Double?
        public var valueText: String
        public init(label: String, value: Double, comparison: Double? = nil, valueText: String) {
            self.label = label; self.value = value; self.comparison = comparison; self.valueText = valueText
        }
    }

    /// Horizontal bars, one row per item: label on the left, bar, the value printed after it.
    public static func horizontalBars(title: String, bars: [Bar], comparisonLabel: String? = nil, width: Int = 640) -> String {
        let rowHeight = 26, labelWidth = 230, valueWidth = 130, top = comparisonLabel == nil ? 28 : 48
        let plot = max(width - labelWidth - valueWidth, 40)
        let height = top + max(bars.count, 1) * rowHeight + 8
        let maxValue = max(bars.map { max($0.value, $0.comparison ?? 0) }.max() ?? 0, 1)
        var svg = header(title: title, description: bars.map { "\($0.label): \($0.valueText)" }.joined(separator: "; "), width: width, height: height)
        if let comparisonLabel {
            svg += #"<rect x="\#(labelWidth)" y="26" width="14" height="10" class="cmp" fill="url(#hatch)"/><text x="\#(labelWidth + 20)" y="35" class="legend">\#(XMLText.escape(comparisonLabel))</text>"#
        }
        if bars.isEmpty {
            svg += #"<text x="\#(width / 2)" y="\#(top + 16)" text-anchor="middle" class="empty">нет данных за период</text>"#
        }
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            let w = Int((bar.value / maxValue * Double(plot)).rounded())
            svg += #"<text x="\#(labelWidth - 8)" y="\#(y + 17)" text-anchor="end" class="label">\#(XMLText.escape(clip(bar.label, 30)))</text>"#
            if let c = bar.comparison {
                let cw = Int((c / maxValue * Double(plot)).rounded())
                svg += #"<rect x="\#(labelWidth)" y="\#(y + 15)" width="\#(cw)" height="7" class="cmp" fill="url(#hatch)"/>"#
            }
            svg += #"<rect x="\#(labelWidth)" y="\#(y + 4)" width="\#(max(w, bar.value > 0 ? 2 : 0))" height="11" class="bar"/>"#
            svg += #"<text x="\#(labelWidth + max(w, 0) + 6)" y="\#(y + 14)" class="value">\#(XMLText.escape(bar.valueText))</text>"#
        }
        return svg + "</svg>"
    }

    /// Columns over time (weeks): the count printed above each column, dates below every few columns.
    /// `hatchedFrom`: columns from this index on are drawn hatched (a forecast after the actual weeks).
    public static func columns(title: String, labels: [String], values: [Double], width: Int = 640, height: Int = 240,
                               hatchedFrom: Int? = nil) -> String {
        let left = 8, bottom = 36, top = 40
        let n = max(values.count, 1)
        let step = Double(width - left * 2) / Double(n)
        let maxValue = max(values.max() ?? 0, 1)
        let plot = Double(height - bottom - top)
        var svg = header(title: title, description: zip(labels, values).map { "\($0): \(Int($1))" }.joined(separator: "; "), width: width, height: height)
        svg += #"<line x1="\#(left)" y1="\#(height - bottom)" x2="\#(width - left)" y2="\#(height - bottom)" class="axis"/>"#
        let labelEvery = max(1, Int((Double(n) / 8).rounded(.up)))
        for (i, v) in values.enumerated() {
            let h = v / maxValue * plot
            let x = Double(left) + Double(i) * step + step * 0.2
            let w = step * 0.6
            let hatched = hatchedFrom.map { i >= $0 } ?? false
            svg += #"<rect x="\#(fmt(x))" y="\#(fmt(Double(height - bottom) - h))" width="\#(fmt(w))" height="\#(fmt(h))" \#(hatched ? #"class="cmp" fill="url(#hatch)""# : #"class="bar""#)/>"#
            svg += #"<text x="\#(fmt(x + w / 2))" y="\#(fmt(Double(height - bottom) - h - 4))" text-anchor="middle" class="value">\#(Int(v))</text>"#
            if i % labelEvery == 0, i < labels.count {
                svg += #"<text x="\#(fmt(x + w / 2))" y="\#(height - bottom + 16)" text-anchor="middle" class="label">\#(XMLText.escape(labels[i]))</text>"#
            }
        }
        return svg + "</svg>"
    }

    static func header(title: String, description: String, width: Int, height: Int, natural: Bool = false) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" width="\(natural ? String(width) : "100%")" role="img" aria-label="\(XMLText.escape(title))">\
        <title>\(XMLText.escape(title))</title><desc>\(XMLText.escape(description))</desc>\
        <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <line x1="0" y1="0" x2="0" y2="6" stroke="#7a8da3" stroke-width="2"/></pattern></defs>\
        <text x="4" y="16" class="title">\(XMLText.escape(title))</text>
        """
    }

    static func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}
