import Foundation

/// A matrix of cells (topic × territory, topic × week) drawn as SVG: each cell shaded by its value and
/// carrying the number in text, so it reads without colour; empty cells stay white with «·»; each cell
/// may link to the cases behind it.
public enum HeatMap {
    public struct Cell: Sendable, Equatable {
        /// 0…1: how dark the cell is.
        public var intensity: Double
        public var text: String
        public var href: String?
        public var tooltip: String
        public init(intensity: Double, text: String, href: String? = nil, tooltip: String) {
            self.intensity = intensity; self.text = text; self.href = href; self.tooltip = tooltip
        }
    }

    public static func svg(title: String, rows: [String], columns: [String], cells: [[Cell?]], legend: String) -> String {
        let labelWidth = 230, cellWidth = 64, cellHeight = 26, top = 44 + 90
        let width = labelWidth + max(columns.count, 1) * cellWidth + 120
        let height = top + max(rows.count, 1) * cellHeight + 30
        var svg = SVGChart.header(title: title, description: legend, width: width, height: height, natural: true)
        svg += #"<text x="4" y="34" class="legend">\#(XMLText.escape(legend))</text>"#
        for (j, c) in columns.enumerated() {
            let x = labelWidth + j * cellWidth + cellWidth / 2
            svg += #"<text x="\#(x - 6)" y="\#(top - 8)" text-anchor="start" transform="rotate(-40 \#(x - 6) \#(top - 8))" class="label">\#(XMLText.escape(SVGChart.clip(c, 22)))</text>"#
        }
        if rows.isEmpty {
            svg += #"<text x="\#(width / 2)" y="\#(top + 16)" text-anchor="middle" class="empty">нет данных за период</text>"#
        }
        for (i, r) in rows.enumerated() {
            let y = top + i * cellHeight
            svg += #"<text x="\#(labelWidth - 8)" y="\#(y + 17)" text-anchor="end" class="label">\#(XMLText.escape(SVGChart.clip(r, 32)))</text>"#
            for j in columns.indices {
                let x = labelWidth + j * cellWidth
                guard i < cells.count, j < cells[i].count, let cell = cells[i][j] else {
                    svg += #"<rect x="\#(x)" y="\#(y)" width="\#(cellWidth - 2)" height="\#(cellHeight - 2)" class="heat-empty"/><text x="\#(x + cellWidth / 2)" y="\#(y + 17)" text-anchor="middle" class="value">·</text>"#
                    continue
                }
                let level = max(0, min(1, cell.intensity))
                // From pale to deep blue; the number turns white on dark cells.
                let r = Int(235 - 200 * level), g = Int(242 - 170 * level), b = Int(250 - 110 * level)
                let fill = "rgb(\(r),\(g),\(b))"
                let textClass = level > 0.55 ? "value on-dark" : "value"
                var piece = #"<rect x="\#(x)" y="\#(y)" width="\#(cellWidth - 2)" height="\#(cellHeight - 2)" fill="\#(fill)"><title>\#(XMLText.escape(cell.tooltip))</title></rect><text x="\#(x + cellWidth / 2)" y="\#(y + 17)" text-anchor="middle" class="\#(textClass)">\#(XMLText.escape(cell.text))</text>"#
                if let href = cell.href { piece = #"<a href="\#(XMLText.escape(href))">\#(piece)</a>"# }
                svg += piece
            }
        }
        return svg + "</svg>"
    }
}
