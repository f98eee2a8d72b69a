// A small live graph of the pool's throughput (images/s) over the last minute, for the status
// bar. It only shows what the pool's statsUpdated says: each PoolStats adds a sample (at most one
// kept per SampleSpacingMs, the newest replacing a closer one). The x axis ends at "now" and spans
// WindowMs; older samples are dropped. The y axis goes from 0 to a rounded-up maximum of what is
// in the window (at least 1), printed in the top-left corner.
//
// Times are milliseconds on any monotonic clock: addStats() uses the widget's own, tests pass
// their own to addSample() and advanceTo(). GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QPainterPath>
#include <QTimer>
#include <QWidget>
#include <deque>

namespace sluice {
struct PoolStats;
}

namespace sluice::app {

class ThroughputGraph : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 WindowMs = 60000;
    static constexpr qint64 SampleSpacingMs = 250;

    struct Sample
    {
        qint64 ms = 0;
        double perSecond = 0;
    };

    explicit ThroughputGraph(QWidget *parent = nullptr);

    // Live path: one sample of stats.throughput now, and keeps the graph scrolling while idle.
    void addStats(const sluice::PoolStats &stats);
    // A sample at `ms` (not before the last one; earlier ones are ignored). Moves "now" there.
    void addSample(qint64 ms, double perSecond);
    // Moves "now" forward (samples scroll left) and drops those older than WindowMs.
    void advanceTo(qint64 ms);
    void clear();

    const std::deque<Sample> &samples() const { return m_samples; }
    qint64 now() const { return m_nowMs; }
    double peak() const;        // the largest sample in the window, 0 when empty
    double axisMaximum() const; // peak rounded up to 1, 2 or 5 times a power of ten; at least 1
    QString maxLabel() const;   // the axis maximum as printed ("50 /s")
    double current() const;     // the newest sample, 0 when empty

    // The curve for a plot area: one point per sample, x by age (right edge = now), y by value.
    QPainterPath curve(const QRectF &plot) const;
    QRectF plotRect() const; // where paintEvent() draws the curve

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void prune();
    void updateDescription();

    std::deque<Sample> m_samples;
    qint64 m_nowMs = 0;
    QElapsedTimer m_clock;
    QTimer m_tick; // scrolls while stats are quiet; stops when the window is empty
};

} // namespace sluice::app
