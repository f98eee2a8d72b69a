#include <QImage>
#include <QTest>
#include <cmath>
#include <pooltypes.h>
#include <throughputgraph.h>

using namespace sluice;
using namespace sluice::app;

class tst_ThroughputGraph : public QObject
{
    Q_OBJECT
private slots:
    void emptyGraph();
    void samplesMapToThePlot();
    void axisMaximumIsRounded_data();
    void axisMaximumIsRounded();
    void oldSamplesScrollOut();
    void closeSamplesAreCoalesced();
    void badSamplesAreIgnoredOrClamped();
    void liveStatsAndAccessibility();
    void paintsSomething();
};

void tst_ThroughputGraph::emptyGraph()
{
    ThroughputGraph graph;
    QVERIFY(graph.samples().empty());
    QCOMPARE(graph.peak(), 0.0);
    QCOMPARE(graph.axisMaximum(), 1.0);
    QCOMPARE(graph.maxLabel(), QStringLiteral("1 /s"));
    QVERIFY(graph.curve(QRectF(0, 0, 600, 100)).isEmpty());
}

void tst_ThroughputGraph::samplesMapToThePlot()
{
    ThroughputGraph graph;
    graph.addSample(0, 10);
    graph.addSample(30000, 40);
    graph.addSample(60000, 20);
    QCOMPARE(graph.samples().size(), size_t(3));
    QCOMPARE(graph.now(), qint64(60000));
    QCOMPARE(graph.peak(), 40.0);
    QCOMPARE(graph.current(), 20.0);
    QCOMPARE(graph.axisMaximum(), 50.0);
    QCOMPARE(graph.maxLabel(), QStringLiteral("50 /s"));

    const QPainterPath path = graph.curve(QRectF(0, 0, 600, 100));
    QCOMPARE(path.elementCount(), 3);
    QCOMPARE(QPointF(path.elementAt(0)), QPointF(0, 80));   // 60 s old, 10 of 50
    QCOMPARE(QPointF(path.elementAt(1)), QPointF(300, 20)); // 30 s old, 40 of 50
    QCOMPARE(QPointF(path.elementAt(2)), QPointF(600, 60)); // now, 20 of 50
    const QRectF extent = path.boundingRect();
    QCOMPARE(extent, QRectF(0, 20, 600, 60));

    // The plot may be anywhere: the curve follows it.
    const QPainterPath moved = graph.curve(QRectF(10, 5, 300, 50));
    QCOMPARE(moved.boundingRect(), QRectF(10, 15, 300, 30));
}

void tst_ThroughputGraph::axisMaximumIsRounded_data()
{
    QTest::addColumn<double>("peak");
    QTest::addColumn<double>("axis");
    QTest::addColumn<QString>("label");
    QTest::newRow("idle") << 0.0 << 1.0 << "1 /s";
    QTest::newRow("slow") << 0.4 << 1.0 << "1 /s";
    QTest::newRow("1.5") << 1.5 << 2.0 << "2 /s";
    QTest::newRow("3") << 3.0 << 5.0 << "5 /s";
    QTest::newRow("7.2") << 7.2 << 10.0 << "10 /s";
    QTest::newRow("exact") << 20.0 << 20.0 << "20 /s";
    QTest::newRow("120") << 120.0 << 200.0 << "200 /s";
    QTest::newRow("4321") << 4321.0 << 5000.0 << "5000 /s";
}

void tst_ThroughputGraph::axisMaximumIsRounded()
{
    QFETCH(double, peak);
    QFETCH(double, axis);
    QFETCH(QString, label);
    ThroughputGraph graph;
    graph.addSample(1000, peak);
    QCOMPARE(graph.peak(), peak);
    QCOMPARE(graph.axisMaximum(), axis);
    QCOMPARE(graph.maxLabel(), label);
    // A single sample sits at the right edge, at its height.
    const QPainterPath path = graph.curve(QRectF(0, 0, 100, 100));
    QCOMPARE(path.elementCount(), 1);
    QCOMPARE(path.elementAt(0).x, 100.0);
    QCOMPARE(path.elementAt(0).y, 100.0 - 100.0 * peak / axis);
}

void tst_ThroughputGraph::oldSamplesScrollOut()
{
    ThroughputGraph graph;
    graph.addSample(0, 100);
    graph.addSample(30000, 40);
    graph.addSample(60000, 20);
    graph.advanceTo(90000); // the first is 90 s old: gone; the second exactly 60 s: kept
    QCOMPARE(graph.samples().size(), size_t(2));
    QCOMPARE(graph.peak(), 40.0);
    QCOMPARE(graph.maxLabel(), QStringLiteral("50 /s"));
    QPainterPath path = graph.curve(QRectF(0, 0, 600, 100));
    QCOMPARE(QPointF(path.elementAt(0)), QPointF(0, 20));
    QCOMPARE(QPointF(path.elementAt(1)), QPointF(300, 60)); // 30 s old now
    graph.advanceTo(90001);
    QCOMPARE(graph.samples().size(), size_t(1));
    QCOMPARE(graph.axisMaximum(), 20.0);
    graph.advanceTo(80000); // time never goes back
    QCOMPARE(graph.now(), qint64(90001));
    graph.advanceTo(200000);
    QVERIFY(graph.samples().empty());
    QCOMPARE(graph.maxLabel(), QStringLiteral("1 /s"));
}

void tst_ThroughputGraph::closeSamplesAreCoalesced()
{
    ThroughputGraph graph;
    graph.addSample(1000, 5);
    graph.addSample(1040, 6);
    graph.addSample(1080, 7); // within the spacing of 1000: replaces 1040
    QCOMPARE(graph.samples().size(), size_t(2));
    QCOMPARE(graph.samples().back().ms, qint64(1080));
    QCOMPARE(graph.current(), 7.0);
    graph.addSample(1300, 8); // 1080 was still within the spacing: replaced too
    QCOMPARE(graph.samples().size(), size_t(2));
    QCOMPARE(graph.samples().back().ms, qint64(1300));
    graph.addSample(1400, 9); // 1300 is 300 ms after 1000: it stays, 1400 is new
    QCOMPARE(graph.samples().size(), size_t(3));
    QCOMPARE(graph.samples()[1].perSecond, 8.0);
    // One sample per flush at 25 Hz for a minute stays a few hundred points.
    for (qint64 ms = 2000; ms <= 62000; ms += 40)
        graph.addSample(ms, 10);
    QVERIFY(graph.samples().size() <=
            size_t(ThroughputGraph::WindowMs / ThroughputGraph::SampleSpacingMs + 2));
}

void tst_ThroughputGraph::badSamplesAreIgnoredOrClamped()
{
    ThroughputGraph graph;
    graph.addSample(5000, 3);
    graph.addSample(4000, 99); // out of order: ignored
    QCOMPARE(graph.samples().size(), size_t(1));
    QCOMPARE(graph.peak(), 3.0);
    graph.addSample(6000, -4);
    graph.addSample(7000, std::nan(""));
    QCOMPARE(graph.samples().size(), size_t(3));
    QCOMPARE(graph.samples()[1].perSecond, 0.0);
    QCOMPARE(graph.samples()[2].perSecond, 0.0);
}

void tst_ThroughputGraph::liveStatsAndAccessibility()
{
    ThroughputGraph graph;
    QVERIFY(!graph.accessibleName().isEmpty());
    QVERIFY(!graph.toolTip().isEmpty());
    const QString idle = graph.accessibleDescription();
    QVERIFY(!idle.isEmpty());
    const QSize min = graph.minimumSizeHint();
    QVERIFY(min.width() >= 80);
    QVERIFY(min.height() >= 24);
    QVERIFY(graph.sizeHint().width() >= min.width());

    PoolStats stats;
    stats.throughput = 7.5;
    graph.addStats(stats);
    QCOMPARE(graph.samples().size(), size_t(1));
    QCOMPARE(graph.current(), 7.5);
    QCOMPARE(graph.maxLabel(), QStringLiteral("10 /s"));
    QVERIFY(graph.accessibleDescription() != idle);
    QVERIFY(graph.accessibleDescription().contains(QStringLiteral("7.5")));
    graph.clear();
    QVERIFY(graph.samples().empty());
    QCOMPARE(graph.accessibleDescription(), idle);
}

void tst_ThroughputGraph::paintsSomething()
{
    ThroughputGraph graph;
    graph.resize(240, 40);
    const QImage blank = graph.grab().toImage();
    graph.addSample(0, 10);
    graph.addSample(30000, 40);
    graph.addSample(60000, 20);
    const QImage drawn = graph.grab().toImage();
    QCOMPARE(drawn.size(), blank.size());
    QVERIFY(drawn != blank);
}

QTEST_MAIN(tst_ThroughputGraph)
#include "tst_throughputgraph.moc"
