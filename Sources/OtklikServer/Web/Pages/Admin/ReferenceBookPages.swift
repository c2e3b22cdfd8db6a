import Fluent
import Foundation
import OtklikCore
import Vapor

/// Organisations, thematic blocks, the rubricator and territories in the browser: a table with an edit
/// form per row, an archive button and a form to add one. Every write goes through the API's controller.
struct ReferenceBookPages {
    enum Book: String, CaseIterable {
        case organisations, blocks, rubrics, territories

        var title: String {
            switch self {
            case .organisations: "Организации"
            case .blocks: "Отраслевые блоки"
            case .rubrics: "Рубрикатор"
            case .territories: "Территории"
            }
        }
        var intro: String {
            switch self {
            case .organisations: "Ответственные получатели обращений и их подразделения. Архивная организация не получает новых обращений; история сохраняется."
            case .blocks: "Направления постановления 004 и руководители блоков."
            case .rubrics: "Категория → подкатегория → факт. Категория по умолчанию задаёт блок и ответственную организацию."
            case .territories: "Населённые пункты, районы и микрорайоны с координатами центра."
            }
        }
        var columns: [String] {
            switch self {
            case .organisations: ["Название", "Вид", "Подчинена"]
            case .blocks: ["Код", "Название", "Руководитель"]
            case .rubrics: ["Название", "Уровень", "Блок / организация по умолчанию"]
            case .territories: ["Название", "Вид", "Координаты"]
            }
        }
    }

    struct Row: Encodable { var id: String; var cells: [String]; var forms: [AdminForm]; var archiveAction: String }
    struct Context: Encodable {
        var layout: Layout
        var heading: String
        var intro: String
        var columns: [String]
        var rows: [Row]
        var empty: Bool
        /// One form; a list because Leaf iterates rather than binds.
        var createForms: [AdminForm]
        var single: Bool
        var openRow: String
        var books: [Choice]
    }

    func show(req: Request) async throws -> Response {
        try await render(req, book: try book(req), failed: nil)
    }

    func create(req: Request) async throws -> Response {
        let book = try book(req)
        let access = try req.tenant
        let form = try req.form
        let fields = createFields(book, try await References.load(access, on: req.db))
        do {
            let body = AdminForm.body(fields, form: form, skipEmpty: true)
            _ = try await APIBridge.call(req, body: body) { sub in try await controllerCreate(book, sub) }
            return WebPage.redirect(req, to: path(access, book), flash: "Добавлено: «\(form["name"] ?? "")».")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return try await render(req, book: book, failed: ("new", form, problem), status: problem.status)
        }
    }

    func update(req: Request) async throws -> Response {
        let book = try book(req)
        let access = try req.tenant
        let form = try req.form
        let id = req.parameters.get("id") ?? ""
        let fields = editFields(book, createFields(book, try await References.load(access, on: req.db)), values: [:])
        do {
            let body = AdminForm.body(fields, form: form)
            try await APIBridge.call(req, body: body) { sub in try await controllerUpdate(book, sub) }
            return WebPage.redirect(req, to: path(access, book), flash: "Сохранено: «\(form["name"] ?? "")».")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return try await render(req, book: book, failed: (id, form, problem), status: problem.status)
        }
    }

    func archive(req: Request) async throws -> Response {
        let book = try book(req)
        let access = try req.tenant
        try await APIBridge.call(req, body: [:]) { sub in
            switch book {
            case .organisations: _ = try await OrganisationsController().archive(req: sub)
            case .blocks: _ = try await BlocksController().archive(req: sub)
            case .rubrics: _ = try await RubricsController().archive(req: sub)
            case .territories: _ = try await TerritoriesController().archive(req: sub)
            }
        }
        return WebPage.redirect(req, to: path(access, book), flash: "Перенесено в архив. Новые обращения туда не попадут; история сохранена.")
    }

    // MARK: - Rendering

    private func render(_ req: Request, book: Book, failed: (String, FormFields, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let refs = try await References.load(access, on: req.db)
        let books = refs.books
        // The fields are built once; each row's form only fills in its values.
        let blank = createFields(book, refs)
        var rows: [Row] = []
        let base = path(access, book)
        func row(_ id: UUID, _ cells: [String], _ values: [String: String]) -> Row {
            var form = AdminForm(id: id.uuidString, action: "\(base)/\(id.uuidString)", submit: "Сохранить",
                                 fields: editFields(book, blank, values: values))
            if let (fid, typed, problem) = failed, fid == id.uuidString { form = form.refilled(typed, problem: problem) }
            return Row(id: id.uuidString, cells: cells, forms: [form], archiveAction: "\(base)/\(id.uuidString)/archive")
        }
        switch book {
        case .organisations:
            for o in try await Organisation.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all() {
                rows.append(row(o.id!, [o.name, OrganisationKind(rawValue: o.kind)?.title ?? o.kind, books.name(o.parentID) ?? "—"],
                                          ["name": o.name, "short_name": o.shortName ?? "", "kind": o.kind, "parent_id": o.parentID?.uuidString ?? "",
                                           "email": o.email ?? "", "phone": o.phone ?? ""]))
            }
        case .blocks:
            let users = refs.users
            for b in try await ThematicBlock.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all() {
                rows.append(row(b.id!, [b.code, b.name, b.leadUserID.flatMap { users[$0] } ?? "—"],
                                          ["name": b.name, "code": b.code, "lead_user_id": b.leadUserID?.uuidString ?? ""]))
            }
        case .rubrics:
            for r in try await Rubric.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all() {
                let defaults = [books.name(r.defaultBlockID), books.name(r.defaultOrganisationID)].compactMap { $0 }.joined(separator: " / ")
                rows.append(row(r.id!, [(r.parentID.flatMap { books.name($0) }.map { $0 + " → " } ?? "") + r.name,
                                                  RubricLevel(rawValue: r.level)?.title ?? r.level, defaults.isEmpty ? "—" : defaults],
                                          ["name": r.name, "code": r.code ?? "", "default_block_id": r.defaultBlockID?.uuidString ?? "",
                                           "default_organisation_id": r.defaultOrganisationID?.uuidString ?? ""]))
            }
        case .territories:
            for t in try await Territory.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all() {
                let coords = t.latitude.flatMap { lat in t.longitude.map { String(format: "%.5f, %.5f", lat, $0) } } ?? "—"
                rows.append(row(t.id!, [t.name, TerritoryKind(rawValue: t.kind)?.title ?? t.kind, coords],
                                          ["name": t.name, "code": t.code ?? "", "kind": t.kind, "parent_id": t.parentID?.uuidString ?? "",
                                           "latitude": t.latitude.map { String($0) } ?? "", "longitude": t.longitude.map { String($0) } ?? ""]))
            }
        }
        var create = AdminForm(id: "new", action: base, submit: "Добавить", fields: blank)
        if let (fid, typed, problem) = failed, fid == "new" { create = create.refilled(typed, problem: problem) }
        return try await WebPage.render(req, "admin/book", Context(
            layout: try await WebPage.layout(req, title: book.title, active: "admin", access: access),
            heading: book.title, intro: book.intro, columns: book.columns, rows: rows, empty: rows.isEmpty, createForms: [create], single: false,
            openRow: failed?.0 ?? "",
            books: Book.allCases.map { Choice(value: "/m/\(access.slug)/admin/books/\($0.rawValue)", title: $0.title, selected: $0 == book) }),
            status: status)
    }

    // MARK: - Fields of each book

    /// What the forms choose from, read once per request.
    struct References {
        var books: ReferenceOptions
        var users: [UUID: String]

        static func load(_ access: TenantAccess, on db: any Database) async throws -> References {
            References(books: try await ReferenceOptions.load(tenantID: access.tenantID, on: db),
                       users: Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$tenantID == access.tenantID)
                           .all().map { ($0.id!, $0.fullName) }))
        }
    }

    private func editFields(_ book: Book, _ blank: [AdminField], values: [String: String]) -> [AdminField] {
        var fields = blank
        if book == .rubrics { fields.removeAll { $0.name == "parent_id" } }   // the level is fixed once created
        return fields.map { f in
            var f = f
            f.value = values[f.name] ?? ""
            f.options = f.options.map { Choice(value: $0.value, title: $0.title, selected: $0.value == f.value) }
            return f
        }
    }

    private func createFields(_ book: Book, _ refs: References) -> [AdminField] {
        let books = refs.books
        switch book {
        case .organisations:
            return [
                AdminField(name: "name", label: "Название", kind: .text),
                AdminField(name: "short_name", label: "Краткое название", kind: .text),
                AdminField(name: "kind", label: "Вид", kind: .select,
                           options: OrganisationKind.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0 == .department) }),
                AdminField(name: "parent_id", label: "Вышестоящая организация", kind: .select,
                           options: ReferenceOptions.options(books.organisations, selected: nil, empty: "— нет —")),
                AdminField(name: "email", label: "Эл. почта", kind: .text),
                AdminField(name: "phone", label: "Телефон", kind: .text),
            ]
        case .blocks:
            let users = refs.users
            return [
                AdminField(name: "code", label: "Код", kind: .text, hint: "латиница, например housing"),
                AdminField(name: "name", label: "Название", kind: .text),
                AdminField(name: "lead_user_id", label: "Руководитель блока", kind: .select,
                           options: [Choice(value: "", title: "— не назначен —", selected: true)]
                               + users.sorted { $0.value < $1.value }.map { Choice(value: $0.key.uuidString, title: $0.value, selected: false) }),
            ]
        case .rubrics:
            return [
                AdminField(name: "name", label: "Название", kind: .text),
                AdminField(name: "code", label: "Код", kind: .text),
                AdminField(name: "parent_id", label: "Родительская рубрика (пусто — категория)", kind: .select,
                           options: ReferenceOptions.options(books.rubrics, selected: nil, empty: "— нет: это категория —")),
                AdminField(name: "default_block_id", label: "Блок по умолчанию", kind: .select,
                           options: ReferenceOptions.options(books.blocks, selected: nil, empty: "— от родителя —")),
                AdminField(name: "default_organisation_id", label: "Организация по умолчанию", kind: .select,
                           options: ReferenceOptions.options(books.organisations, selected: nil, empty: "— от родителя —")),
            ]
        case .territories:
            return [
                AdminField(name: "name", label: "Название", kind: .text),
                AdminField(name: "code", label: "Код", kind: .text),
                AdminField(name: "kind", label: "Вид", kind: .select,
                           options: TerritoryKind.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0 == .settlement) }),
                AdminField(name: "parent_id", label: "Входит в", kind: .select,
                           options: ReferenceOptions.options(books.territories, selected: nil, empty: "— нет —")),
                AdminField(name: "latitude", label: "Широта центра", kind: .number, hint: "например 52.91"),
                AdminField(name: "longitude", label: "Долгота центра", kind: .number, hint: "например 87.92"),
            ]
        }
    }

    private func controllerCreate(_ book: Book, _ sub: Request) async throws -> Response {
        switch book {
        case .organisations: try await OrganisationsController().create(req: sub)
        case .blocks: try await BlocksController().create(req: sub)
        case .rubrics: try await RubricsController().create(req: sub)
        case .territories: try await TerritoriesController().create(req: sub)
        }
    }

    private func controllerUpdate(_ book: Book, _ sub: Request) async throws {
        switch book {
        case .organisations: _ = try await OrganisationsController().update(req: sub)
        case .blocks: _ = try await BlocksController().update(req: sub)
        case .rubrics: _ = try await RubricsController().update(req: sub)
        case .territories: _ = try await TerritoriesController().update(req: sub)
        }
    }

    private func book(_ req: Request) throws -> Book {
        guard let book = Book(rawValue: req.parameters.get("book") ?? "") else { throw Problem.notFound("Такого справочника нет.") }
        return book
    }

    private func path(_ access: TenantAccess, _ book: Book) -> String { "/m/\(access.slug)/admin/books/\(book.rawValue)" }
}
