#include "progressprinter.h"

#include <cstdio>
#include <unistd.h>

namespace sluice::cli {

namespace {

constexpr int LiveIntervalMs = 200;
constexpr int PlainIntervalMs = 2000;
constexpr int BarWidth = 24;

QString duration(qint64 seconds)
{
    if (seconds >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

void writeErr(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace

ProgressPrinter::Style ProgressPrinter::styleFor(bool quiet)
{
    if (quiet)
        return Style::Silent;
    return isatty(STDERR_FILENO) ? Style::Live : Style::Plain;
}

ProgressPrinter::ProgressPrinter(Style style, QObject *parent)
    : QObject(parent)
    , m_style(style)
{
    m_timer.setInterval(style == Style::Live ? LiveIntervalMs : PlainIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ProgressPrinter::print);
}

void ProgressPrinter::start()
{
    m_clock.start();
    if (m_style != Style::Silent)
        m_timer.start();
}

void ProgressPrinter::setScanned(qint64 total, bool finished)
{
    m_total = total;
    m_scanFinished = finished;
}

void ProgressPrinter::stop()
{
    m_timer.stop();
    if (m_style == Style::Live && m_lastLength > 0)
        writeErr(QLatin1Char('\r') + QString(m_lastLength, QLatin1Char(' ')) + QLatin1Char('\r'));
    m_lastLength = 0;
}

void ProgressPrinter::print()
{
    if (m_style == Style::Plain) {
        writeErr(plainLine() + QLatin1Char('\n'));
        return;
    }
    QString line = liveLine();
    const int length = int(line.size());
    if (length < m_lastLength)
        line += QString(m_lastLength - length, QLatin1Char(' '));
    m_lastLength = length;
    writeErr(QLatin1Char('\r') + line);
}

double ProgressPrinter::imagesPerSecond() const
{
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    return seconds > 0.2 ? double(m_counters.terminal()) / seconds : 0.0;
}

// Known only once the scan has finished: before that the total still grows.
QString ProgressPrinter::etaText() const
{
    const double rate = imagesPerSecond();
    if (!m_scanFinished || rate <= 0)
        return QStringLiteral("--:--");
    const qint64 left = qMax<qint64>(0, m_total - m_counters.terminal());
    return duration(qint64(double(left) / rate + 0.5));
}

QString ProgressPrinter::liveLine() const
{
    const qint64 finished = m_counters.terminal();
    const int filled = m_total > 0 ? int(qMin<qint64>(BarWidth, finished * BarWidth / m_total)) : 0;
    QString line =
        QStringLiteral("[%1%2] %3/%4%5  %6 img/s  ETA %7")
            .arg(QString(filled, QLatin1Char('#')), QString(BarWidth - filled, QLatin1Char('.')))
            .arg(finished)
            .arg(m_total)
            .arg(m_scanFinished ? QString() : QStringLiteral("+"))
            .arg(imagesPerSecond(), 0, 'f', 1)
            .arg(etaText());
    if (m_counters.failed > 0)
        line += QStringLiteral("  %1 failed").arg(m_counters.failed);
    return line;
}

QString ProgressPrinter::plainLine() const
{
    QString line = QStringLiteral("sluice-cli: %1/%2%3 processed, %4 images/s, ETA %5")
                       .arg(m_counters.terminal())
                       .arg(m_total)
                       .arg(m_scanFinished ? QString() : QStringLiteral("+"))
                       .arg(imagesPerSecond(), 0, 'f', 1)
                       .arg(etaText());
    if (m_counters.failed > 0)
        line += QStringLiteral(", %1 failed").arg(m_counters.failed);
    return line;
}

} // namespace sluice::cli
