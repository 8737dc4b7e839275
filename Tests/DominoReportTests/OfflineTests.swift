@testable import DominoReport
import Foundation
import Testing

/// The file must show with no network: no URL of any kind, nothing that a browser would fetch.
@Suite struct OfflineTests {
    @Test func theReportHoldsNoURLAndLoadsNothing() throws {
        let e = try Episode()
        let r = try CapturedRun.replay(e.spec(), label: "small")
        var sections = RunView(runs: [r]).sections()
        if let v = VerifyView.section(r) { sections.append(v) }
        let html = ReportPage(title: "small", subtitle: ["x"], sections: sections).html
        for banned in ["http", "//", "src=", "@import", "<link", "<iframe", "<img", "fetch(", "XMLHttpRequest", "WebSocket", "import("] {
            #expect(!html.contains(banned), "\(banned)")
        }
        // url(…) only for the arrowheads' local markers, href only to anchors in the page.
        #expect(html.components(separatedBy: "url(").dropFirst().allSatisfy { $0.hasPrefix("#") })
        #expect(html.components(separatedBy: "href=\"").dropFirst().allSatisfy { $0.hasPrefix("#") })
    }
}
