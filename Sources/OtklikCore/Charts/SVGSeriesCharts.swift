import Foundation

/// Charts of several series over the same weeks: lines, stacked columns and small multiples. Series are
/// told apart without colour — by dash pattern and marker shape on lines, by fill pattern in stacks — and
/// carry their numbers as text (the last value at the end of each line, totals above the stacks).
extension SVGChart {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    static let dashes = ["", "7 4", "2 3", "10 3 2 3"]
    static let fills = ["bar", "fill-hatch", "fill-dots", "fill-cross", "fill-open"]

    /// Line chart: one polyline per series (solid, dashed, dotted, dash-dot) with its own marker shape.
    public static func lines(title: String, labels: [String], series: [Series], width: Int = 640, height: Int = 260) -> String {
        let left = 40, right = 150, top = 44, bottom = 36
        let n = max(labels.count, 1)
        let plotW = Double(width - left - right), plotH = Double(height - top - bottom)
        let maxValue = niceMax(series.flatMap(\.values).max() ?? 0)
        func x(_ i: Int) -> Double { Double(left) + (n == 1 ? plotW / 2 : plotW * Double(i) / Double(n - 1)) }
        func y(_ v: Double) -> Double { Double(top) + plotH - v / maxValue * plotH }
        var svg = header(title: title, description: describe(labels, series), width: width, height: height) + patterns
        svg += axes(left: left, top: top, width: width - right, bottom: height - bottom, maxValue: maxValue)
        svg += labelRow(labels, y: height - bottom + 16) { x($0) }
        if series.allSatisfy({ $0.values.allSatisfy { $0 == 0 } }) {
            svg += #"<text x="\#(width / 2)" y="\#(top + 30)" text-anchor="middle" class="empty">нет данных за период</text>"#
        }
        for (k, s) in series.enumerated() {
            let points = s.values.prefix(n).enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element)))" }.joined(separator: " ")
            let dash = dashes[k % dashes.count]
            svg += #"<polyline points="\#(points)" class="line s\#(k % 4)"\#(dash.isEmpty ? "" : #" stroke-dasharray="\#(dash)""#)/>"#
            for (i, v) in s.values.prefix(n).enumerated() { svg += marker(k, x: x(i), y: y(v)) }
            if let last = s.values.prefix(n).last {
                let ly = y(last) + Double(k) * 2   // near-equal ends: nudge so the labels do not sit on each other
                svg += #"<text x="\#(fmt(x(min(s.values.count, n) - 1) + 8))" y="\#(fmt(ly + 4))" class="value">\#(XMLText.escape(clip(s.name, 16))): \#(number(last))</text>"#
            }
            // Legend: the line's own dash and marker next to its name.
            let lx = left + k * 150
            svg += #"<line x1="\#(lx)" y1="31" x2="\#(lx + 24)" y2="31" class="line s\#(k % 4)"\#(dash.isEmpty ? "" : #" stroke-dasharray="\#(dash)""#)/>"#
            svg += marker(k, x: Double(lx + 12), y: 31)
            svg += #"<text x="\#(lx + 30)" y="35" class="legend">\#(XMLText.escape(clip(s.name, 18)))</text>"#
        }
        return svg + "</svg>"
    }

    /// Stacked columns: each column the sum of the series, each series its own fill pattern; the total
    /// above the column, a segment's number inside it when there is room.
    public static func stackedColumns(title: String, labels: [String], series: [Series], width: Int = 640, height: Int = 280) -> String {
        let left = 40, top = 44 + 18 * ((series.count + 3) / 4), bottom = 36, right = 8
        let n = max(labels.count, 1)
        let totals = (0..<n).map { i in series.reduce(0) { $0 + (i < $1.values.count ? $1.values[i] : 0) } }
        let maxValue = niceMax(totals.max() ?? 0)
        let step = Double(width - left - right) / Double(n)
        let plotH = Double(height - top - bottom)
        var svg = header(title: title, description: describe(labels, series), width: width, height: height) + patterns
        svg += axes(left: left, top: top, width: width - right, bottom: height - bottom, maxValue: maxValue)
        for (k, s) in series.enumerated() {
            let lx = 8 + (k % 4) * ((width - 16) / 4), ly = 26 + (k / 4) * 18
            svg += #"<rect x="\#(lx)" y="\#(ly)" width="14" height="12" class="\#(fills[k % fills.count]) seg"/><text x="\#(lx + 20)" y="\#(ly + 11)" class="legend">\#(XMLText.escape(clip(s.name, 17)))</text>"#
        }
        for i in 0..<n {
            let x = Double(left) + Double(i) * step + step * 0.15, w = step * 0.7
            var base = Double(height - bottom)
            for (k, s) in series.enumerated() {
                let v = i < s.values.count ? s.values[i] : 0
                guard v > 0 else { continue }
                let h = v / maxValue * plotH
                base -= h
                svg += #"<rect x="\#(fmt(x))" y="\#(fmt(base))" width="\#(fmt(w))" height="\#(fmt(h))" class="\#(fills[k % fills.count]) seg"><title>\#(XMLText.escape("\(labels.indices.contains(i) ? labels[i] : ""): \(s.name) — \(number(v))"))</title></rect>"#
                if h >= 14 && w >= 18 {
                    svg += #"<text x="\#(fmt(x + w / 2))" y="\#(fmt(base + h / 2 + 4))" text-anchor="middle" class="value seg-value">\#(number(v))</text>"#
                }
            }
            svg += #"<text x="\#(fmt(x + w / 2))" y="\#(fmt(base - 4))" text-anchor="middle" class="value">\#(number(totals[i]))</text>"#
        }
        svg += labelRow(labels, y: height - bottom + 16) { Double(left) + Double($0) * step + step / 2 }
        return svg + "</svg>"
    }

    /// Small multiples: one small column chart per series on a shared scale, so panels compare at a glance;
    /// each panel names its series with the total and the last value.
    public static func smallMultiples(title: String, labels: [String], series: [Series], perRow: Int = 3, width: Int = 640) -> String {
        let cols = max(1, min(perRow, series.count)), rows = max(1, (series.count + cols - 1) / cols)
        let panelW = Double(width - 8) / Double(cols), panelH = 112.0, top = 30.0
        let height = Int(top + Double(rows) * panelH + 18)
        let maxValue = max(series.flatMap(\.values).max() ?? 0, 1)
        var svg = header(title: title, description: describe(labels, series) + " Общая шкала: до \(number(maxValue)).", width: width, height: height)
        if series.isEmpty {
            svg += #"<text x="\#(width / 2)" y="60" text-anchor="middle" class="empty">нет данных за период</text>"#
        }
        for (k, s) in series.enumerated() {
            let px = 4 + Double(k % cols) * panelW, py = top + Double(k / cols) * panelH
            let total = s.values.reduce(0, +)
            svg += #"<text x="\#(fmt(px + 4))" y="\#(fmt(py + 14))" class="label">\#(XMLText.escape(clip(s.name, 24)))</text>"#
            svg += #"<text x="\#(fmt(px + 4))" y="\#(fmt(py + 28))" class="legend">всего \#(number(total)), последняя — \#(number(s.values.last ?? 0))</text>"#
            let plotTop = py + 36, plotH = panelH - 52
            let step = (panelW - 16) / Double(max(s.values.count, 1))
            svg += #"<line x1="\#(fmt(px + 4))" y1="\#(fmt(plotTop + plotH))" x2="\#(fmt(px + panelW - 12))" y2="\#(fmt(plotTop + plotH))" class="axis"/>"#
            for (i, v) in s.values.enumerated() {
                let h = v / maxValue * plotH
                let last = i == s.values.count - 1
                svg += #"<rect x="\#(fmt(px + 4 + Double(i) * step + step * 0.15))" y="\#(fmt(plotTop + plotH - h))" width="\#(fmt(step * 0.7))" height="\#(fmt(h))" class="\#(last ? "bar" : "bar-soft")"/>"#
            }
        }
        if let first = labels.first, let last = labels.last {
            svg += #"<text x="4" y="\#(height - 4)" class="legend">недели с \#(XMLText.escape(first)) по \#(XMLText.escape(last)); последняя неделя выделена</text>"#
        }
        return svg + "</svg>"
    }

    // MARK: - Pieces

    static let patterns = """
        <defs><pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/>\
        <circle cx="3" cy="3" r="1.4" fill="#1b4f8a"/></pattern>\
        <pattern id="cross" width="7" height="7" patternUnits="userSpaceOnUse"><rect width="7" height="7" fill="#fff"/>\
        <path d="M0 0L7 7M7 0L0 7" stroke="#5a6b7d" stroke-width="1"/></pattern></defs>
        """

    static func marker(_ k: Int, x: Double, y: Double) -> String {
        switch k % 4 {
        case 0: #"<circle cx="\#(fmt(x))" cy="\#(fmt(y))" r="3.5" class="mark s\#(k % 4)"/>"#
        case 1: #"<rect x="\#(fmt(x - 3.5))" y="\#(fmt(y - 3.5))" width="7" height="7" class="mark open s\#(k % 4)"/>"#
        case 2: #"<path d="M\#(fmt(x)) \#(fmt(y - 4.5))L\#(fmt(x + 4)) \#(fmt(y + 3))L\#(fmt(x - 4)) \#(fmt(y + 3))Z" class="mark s\#(k % 4)"/>"#
        default: #"<path d="M\#(fmt(x)) \#(fmt(y - 4.5))L\#(fmt(x + 4.5)) \#(fmt(y))L\#(fmt(x)) \#(fmt(y + 4.5))L\#(fmt(x - 4.5)) \#(fmt(y))Z" class="mark open s\#(k % 4)"/>"#
        }
    }

    /// The y axis from 0 to `maxValue` with a grid line and label at 0, half and the top.
    static func axes(left: Int, top: Int, width: Int, bottom: Int, maxValue: Double) -> String {
        var out = ""
        for f in [0.0, 0.5, 1.0] {
            let y = Double(bottom) - Double(bottom - top) * f
            out += #"<line x1="\#(left)" y1="\#(fmt(y))" x2="\#(width)" y2="\#(fmt(y))" class="\#(f == 0 ? "axis" : "grid")"/>"#
            out += #"<text x="\#(left - 4)" y="\#(fmt(y + 4))" text-anchor="end" class="legend">\#(number(maxValue * f))</text>"#
        }
        return out
    }

    static func labelRow(_ labels: [String], y: Int, x: (Int) -> Double) -> String {
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        return labels.enumerated().filter { $0.offset % every == 0 }.map {
            #"<text x="\#(fmt(x($0.offset)))" y="\#(y)" text-anchor="middle" class="label">\#(XMLText.escape($0.element))</text>"#
        }.joined()
    }

    /// A round top for the scale: 1, 2, 2.5, 5 × 10ⁿ, so the half-way line reads as a plain number.
    static func niceMax(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= v { return m * magnitude }
        return 10 * magnitude
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v).replacingOccurrences(of: ".", with: ",")
    }

    static func describe(_ labels: [String], _ series: [Series]) -> String {
        series.map { s in s.name + ": " + zip(labels, s.values).map { "\($0) — \(number($1))" }.joined(separator: ", ") }.joined(separator: "; ")
    }
}
