import Foundation
import Vapor

/// A file the browser saves: the type, and an ASCII file name so that every browser keeps it.
enum Download {
    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let csv = "text/csv; charset=utf-8"

    static func attachment(_ data: Data, contentType: String, fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: contentType)
        headers.add(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
