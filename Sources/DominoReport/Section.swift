/// One view of the report: a title, a line saying what it shows, and its chart(s) as HTML.
package struct Section: Sendable {
    package var id: String
    package var title: String
    package var explanation: String
    package var body: String
    package init(id: String, title: String, explanation: String, body: String) {
        self.id = id; self.title = title; self.explanation = explanation; self.body = body
    }

    package var html: String {
        "<section id=\"\(SVG.escape(id))\"><h2>\(SVG.escape(title))</h2><p class=\"explain\">\(SVG.escape(explanation))</p>\(body)</section>\n"
    }
}
