// Progress on stderr: a live single line redrawn in place when stderr is a terminal, a plain
// line every ~2 s otherwise (logs, CI), nothing when quiet. Main thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <pooltypes.h>

namespace sluice::cli {

class ProgressPrinter : public QObject
{
    Q_OBJECT
public:
    enum class Style : quint8
    {
        Live,
        Plain,
        Silent
    };
    // Live when stderr is a terminal, Plain otherwise, Silent when quiet.
    static Style styleFor(bool quiet);

    explicit ProgressPrinter(Style style, QObject *parent = nullptr);

    void start();
    void setCounters(const BatchCounters &counters) { m_counters = counters; }
    // Items handed to the pool so far; `finished` once the scan is complete (total is final).
    void setScanned(qint64 total, bool finished);
    // Stops the timer and clears the live line, so the summary starts on a clean line.
    void stop();

private:
    void print();
    QString liveLine() const;
    QString plainLine() const;
    double imagesPerSecond() const;
    QString etaText() const;

    Style m_style;
    QTimer m_timer;
    QElapsedTimer m_clock;
    BatchCounters m_counters;
    qint64 m_total = 0;
    bool m_scanFinished = false;
    int m_lastLength = 0;
};

} // namespace sluice::cli
