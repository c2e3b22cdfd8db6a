/// Writes the parts of a plain Word document (Office Open XML, A4, Times New Roman 12 as Russian official
/// papers are typed): headings, paragraphs, bulleted lines, tables with a bold header row, PNG pictures.
/// Word and LibreOffice open it; the caller zips the parts.
public struct DOCXWriter: Sendable {
    public enum Block: Sendable {
        case title(String)
        case heading(String)
        case paragraph(String, bold: Bool = false, small: Bool = false)
        case bullets([String])
        case table(header: [String], rows: [[String]], widths: [Int] = [])
        /// PNG bytes and the picture's size in pixels (shown 16 cm wide at most).
        case picture(png: [UInt8], width: Int, height: Int, description: String)
    }

    public var blocks: [Block]
    public var author: String
    public var title: String

    public init(title: String, author: String, blocks: [Block]) { self.title = title; self.author = author; self.blocks = blocks }

    public func parts() -> [(path: String, bytes: [UInt8])] {
        var body = ""
        var media: [(String, [UInt8])] = []
        var rels = ""
        for block in blocks {
            switch block {
            case .title(let t): body += paragraph(t, style: "Title")
            case .heading(let t): body += paragraph(t, style: "Heading1")
            case .paragraph(let t, let bold, let small): body += paragraph(t, style: nil, bold: bold, small: small)
            case .bullets(let items): for i in items { body += paragraph("• " + i, style: "ListLine") }
            case .table(let header, let rows, let widths): body += table(header, rows, widths)
            case .picture(let png, let w, let h, let description):
                let n = media.count + 1
                let rid = "rIdImg\(n)"
                media.append(("word/media/image\(n).png", png))
                rels += #"<Relationship Id="\#(rid)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image\#(n).png"/>"#
                body += picture(rid: rid, id: n, width: w, height: h, description: description)
            }
        }
        let document = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>
        """
        let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
        """
        let packageRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
        """
        let documentRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\(rels)</Relationships>
        """
        let core = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(XMLText.escape(title))</dc:title><dc:creator>\(XMLText.escape(author))</dc:creator></cp:coreProperties>
        """
        var out: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)), ("_rels/.rels", Array(packageRels.utf8)),
            ("word/document.xml", Array(document.utf8)), ("word/_rels/document.xml.rels", Array(documentRels.utf8)),
            ("word/styles.xml", Array(Self.styles.utf8)), ("docProps/core.xml", Array(core.utf8)),
        ]
        out += media
        return out
    }

    func run(_ text: String, bold: Bool = false, small: Bool = false) -> String {
        var props = ""
        if bold { props += "<w:b/>" }
        if small { props += #"<w:sz w:val="20"/>"# }
        return "<w:r>" + (props.isEmpty ? "" : "<w:rPr>\(props)</w:rPr>") + #"<w:t xml:space="preserve">\#(XMLText.escape(text))</w:t></w:r>"#
    }

    func paragraph(_ text: String, style: String?, bold: Bool = false, small: Bool = false) -> String {
        "<w:p>" + (style.map { #"<w:pPr><w:pStyle w:val="\#($0)"/></w:pPr>"# } ?? "") + run(text, bold: bold, small: small) + "</w:p>"
    }

    func table(_ header: [String], _ rows: [[String]], _ widths: [Int]) -> String {
        let total = 9_355   // text width of A4 with these margins, in twentieths of a point
        let cols = max(header.count, 1)
        let w = widths.count == cols ? widths.map { $0 * total / max(widths.reduce(0, +), 1) } : Array(repeating: total / cols, count: cols)
        func cell(_ text: String, _ i: Int, bold: Bool) -> String {
            #"<w:tc><w:tcPr><w:tcW w:w="\#(w[min(i, w.count - 1)])" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>\#(run(text, bold: bold, small: true))</w:p></w:tc>"#
        }
        var xml = #"<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="\#(total)" w:type="dxa"/></w:tblPr><w:tblGrid>"#
        for x in w { xml += #"<w:gridCol w:w="\#(x)"/>"# }
        xml += "</w:tblGrid>"
        xml += #"<w:tr><w:trPr><w:tblHeader/></w:trPr>"# + header.enumerated().map { cell($0.element, $0.offset, bold: true) }.joined() + "</w:tr>"
        for r in rows { xml += "<w:tr>" + r.enumerated().map { cell($0.element, $0.offset, bold: false) }.joined() + "</w:tr>" }
        return xml + "</w:tbl>" + #"<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>"#
    }

    func picture(rid: String, id: Int, width: Int, height: Int, description: String) -> String {
        let maxEMU = 5_760_000   // 16 cm
        let cx = min(maxEMU, width * 9_525)
        let cy = Int(Double(cx) * Double(height) / Double(max(width, 1)))
        let d = XMLText.escape(description)
        return """
        <w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="\(cx)" cy="\(cy)"/><wp:docPr id="\(id)" name="Рисунок \(id)" descr="\(d)"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="\(id)" name="image\(id).png" descr="\(d)"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="\(rid)"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="\(cx)" cy="\(cy)"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
        """
    }

    static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListLine"><w:name w:val="List Line"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="360"/><w:spacing w:after="60"/></w:pPr></w:style><w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>
    """
}
