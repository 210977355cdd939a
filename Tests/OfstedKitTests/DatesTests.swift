@testable import OfstedKit
import XCTest

/// Dates and date ranges in the forms reports and council papers print them.
final class DatesTests: XCTestCase {
    /// Asserts the first range in `text` has these ISO dates and is written as `written`.
    private func assertRange(_ text: String, _ start: String?, _ end: String?, written: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let found = Dates.firstRange(in: Words(text)) else {
            XCTFail("no date in \(text)", file: file, line: line)
            return
        }
        XCTAssertEqual(found.start, start, text, file: file, line: line)
        XCTAssertEqual(found.end, end, text, file: file, line: line)
        XCTAssertEqual(found.text, written, text, file: file, line: line)
    }

    func testRangeAcrossMonthsWithADash() {
        assertRange("23 January – 3 February 2012", "2012-01-23", "2012-02-03", written: "23 January – 3 February 2012")
    }

    func testBetweenAnd() {
        assertRange("Between 23 January and 3 February 2012", "2012-01-23", "2012-02-03", written: "23 January and 3 February 2012")
        assertRange("was carried out by Ofsted Inspectors between 21 May and 1 June 2012.", "2012-05-21", "2012-06-01",
                    written: "21 May and 1 June 2012")
    }

    func testFullDatesBothSides() {
        assertRange("4 March 2019 to 15 March 2019", "2019-03-04", "2019-03-15", written: "4 March 2019 to 15 March 2019")
        assertRange("16 September 2014 – 8 October 2014", "2014-09-16", "2014-10-08", written: "16 September 2014 – 8 October 2014")
    }

    func testDayRangesInOneMonth() {
        assertRange("15-19 July 2013", "2013-07-15", "2013-07-19", written: "15-19 July 2013")
        assertRange("8 – 12 July 2013", "2013-07-08", "2013-07-12", written: "8 – 12 July 2013")
        assertRange("9–24 November 2017", "2017-11-09", "2017-11-24", written: "9–24 November 2017")
    }

    func testOrdinalDays() {
        assertRange("6th to 30th March 2017", "2017-03-06", "2017-03-30", written: "6th to 30th March 2017")
        assertRange("1st – 3rd May 2018", "2018-05-01", "2018-05-03", written: "1st – 3rd May 2018")
    }

    func testSingleDate() {
        assertRange("Published: 28 July 2016", "2016-07-28", "2016-07-28", written: "28 July 2016")
        let found = Dates.firstDate(in: Words("It was published on 9 March 2012, with the CQC report in May 2012"))
        XCTAssertEqual(found?.start, "2012-03-09")
        XCTAssertEqual(found?.text, "9 March 2012")
    }

    func testMonthAndYearOnlyIsTextWithoutDays() {
        assertRange("In November 2011, Ofsted undertook an inspection", nil, nil, written: "November 2011")
        XCTAssertNil(Dates.firstDate(in: Words("In November 2011, Ofsted undertook an inspection")))
    }

    func testAbbreviatedMonths() {
        assertRange("2 – 13 Sept 2013", "2013-09-02", "2013-09-13", written: "2 – 13 Sept 2013")
        XCTAssertNil(Dates.firstRange(in: Words("Mar 2013")), "a three-letter month alone with a year is too weak")
    }

    func testRangeAcrossAYearEnd() {
        assertRange("29 December – 9 January 2015", "2014-12-29", "2015-01-09", written: "29 December – 9 January 2015")
        assertRange("15 December 2014 to 9 January 2015", "2014-12-15", "2015-01-09", written: "15 December 2014 to 9 January 2015")
    }

    func testLeapDays() {
        assertRange("29 February 2012", "2012-02-29", "2012-02-29", written: "29 February 2012")
        XCTAssertNil(Dates.firstDate(in: Words("29 February 2013")))
    }

    func testImpossibleDatesAreRejected() {
        XCTAssertNil(Dates.firstDate(in: Words("31 September 2014")))
        XCTAssertNil(Dates.iso(2014, 13, 1))
        XCTAssertNil(Dates.iso(2014, 4, 31))
        XCTAssertEqual(Dates.iso(2014, 4, 30), "2014-04-30")
        // No invented day: at most the month and year, as text.
        let found = Dates.firstRange(in: Words("32 March 2013"))
        XCTAssertNil(found?.start)
        XCTAssertNil(found?.end)
    }

    func testBackwardsRangeIsNotARange() {
        let found = Dates.firstRange(in: Words("12 – 8 July 2013"))
        XCTAssertNotEqual(found?.start, "2013-07-12", "a range whose end is before its start is not read as one")
        XCTAssertEqual(found?.end, found?.start, "what is left is the single date")
    }

    func testYearsOutsideTheRangeAreNotYears() {
        XCTAssertNil(Dates.firstDate(in: Words("1 April 1850")))
        XCTAssertNil(Dates.firstRange(in: Words("there were 12 actions in 3 groups")))
    }

    func testSearchStartsAtOffsetAndStopsAtLimit() {
        let words = Words("Inspection dates: 8 – 12 July 2013 Report published: 16 August 2013")
        XCTAssertEqual(Dates.firstRange(in: words, from: 0)?.start, "2013-07-08")
        XCTAssertEqual(Dates.firstDate(in: words, from: 9)?.start, "2013-08-16")
        XCTAssertNil(Dates.firstRange(in: words, from: 0, limit: 2))
        XCTAssertEqual(Dates.firstRange(in: words)?.range, 3..<8, "the word range of \"8 – 12 July 2013\"")
    }
}
