#include "throughputgraph.h"

#include <QEvent>
#include <QPainter>
#include <QPalette>
#include <algorithm>
#include <cmath>
#include <pooltypes.h>

namespace sluice::app {

namespace {

constexpr int TickMs = 1000;
constexpr int LabelMargin = 2;

double niceCeiling(double value)
{
    if (!(value > 1.0))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude * (1 + 1e-9))
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

QString formatRate(double perSecond)
{
    return perSecond >= 10 || perSecond == std::floor(perSecond)
               ? QString::number(qRound64(perSecond))
               : QString::number(perSecond, 'f', 1);
}

} // namespace

ThroughputGraph::ThroughputGraph(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("throughputGraph"));
    setAccessibleName(tr("Throughput graph"));
    setToolTip(tr("Images per second over the last minute"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_clock.start();
    m_tick.setInterval(TickMs);
    connect(&m_tick, &QTimer::timeout, this, [this] { advanceTo(m_clock.elapsed()); });
    updateDescription();
}

void ThroughputGraph::addStats(const PoolStats &stats)
{
    addSample(m_clock.elapsed(), stats.throughput);
    if (!m_tick.isActive())
        m_tick.start();
}

void ThroughputGraph::addSample(qint64 ms, double perSecond)
{
    if (!m_samples.empty() && ms < m_samples.back().ms)
        return;
    const Sample sample{ms, std::isfinite(perSecond) ? qMax(0.0, perSecond) : 0.0};
    const size_t n = m_samples.size();
    // The newest sample stands in for its slot until it is SampleSpacingMs after the one before.
    if (n >= 2 && m_samples[n - 1].ms - m_samples[n - 2].ms < SampleSpacingMs)
        m_samples.back() = sample;
    else
        m_samples.push_back(sample);
    m_nowMs = qMax(m_nowMs, ms);
    prune();
    updateDescription();
    update();
}

void ThroughputGraph::advanceTo(qint64 ms)
{
    if (ms <= m_nowMs)
        return;
    m_nowMs = ms;
    prune();
    if (m_samples.empty()) {
        m_tick.stop();
        updateDescription();
    }
    update();
}

void ThroughputGraph::clear()
{
    m_samples.clear();
    m_tick.stop();
    updateDescription();
    update();
}

void ThroughputGraph::prune()
{
    while (!m_samples.empty() && m_nowMs - m_samples.front().ms > WindowMs)
        m_samples.pop_front();
}

double ThroughputGraph::peak() const
{
    double best = 0;
    for (const Sample &s : m_samples)
        best = qMax(best, s.perSecond);
    return best;
}

double ThroughputGraph::axisMaximum() const
{
    return niceCeiling(peak());
}

QString ThroughputGraph::maxLabel() const
{
    //: Top of the throughput graph's axis, in images per second; keep it short
    return tr("%1 /s").arg(formatRate(axisMaximum()));
}

double ThroughputGraph::current() const
{
    return m_samples.empty() ? 0.0 : m_samples.back().perSecond;
}

QPainterPath ThroughputGraph::curve(const QRectF &plot) const
{
    QPainterPath path;
    const double top = axisMaximum();
    bool first = true;
    for (const Sample &s : m_samples) {
        const double age = double(m_nowMs - s.ms) / double(WindowMs);
        const QPointF p(plot.right() - age * plot.width(),
                        plot.bottom() - qMin(1.0, s.perSecond / top) * plot.height());
        if (first)
            path.moveTo(p);
        else
            path.lineTo(p);
        first = false;
    }
    return path;
}

QRectF ThroughputGraph::plotRect() const
{
    return QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5);
}

QSize ThroughputGraph::sizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * 40, qMax(28, fontMetrics().height() + 12));
}

QSize ThroughputGraph::minimumSizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * 14, qMax(24, fontMetrics().height() + 8));
}

void ThroughputGraph::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF plot = plotRect();

    // Light grid: the middle of the axis and a line every 15 s.
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(70);
    painter.setPen(QPen(grid, 1));
    painter.drawLine(QPointF(plot.left(), plot.center().y()),
                     QPointF(plot.right(), plot.center().y()));
    for (int i = 1; i < 4; ++i) {
        const double x = plot.left() + plot.width() * i / 4.0;
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }

    const QPainterPath line = curve(plot);
    if (m_samples.size() >= 2) {
        QPainterPath area = line;
        area.lineTo(line.currentPosition().x(), plot.bottom());
        area.lineTo(line.elementAt(0).x, plot.bottom());
        area.closeSubpath();
        QColor fill = pal.color(QPalette::Highlight);
        fill.setAlpha(60);
        painter.fillPath(area, fill);
    }
    painter.setPen(QPen(pal.color(QPalette::Highlight), 1.5));
    painter.drawPath(line);
    if (!m_samples.empty())
        painter.drawEllipse(line.currentPosition(), 1.5, 1.5);

    // Labels: the axis maximum top-left, the current value top-right.
    QFont small = font();
    small.setPointSizeF(qMax(6.0, small.pointSizeF() * 0.8));
    painter.setFont(small);
    painter.setPen(pal.color(QPalette::Text));
    const QRectF labels = plot.adjusted(LabelMargin, 0, -LabelMargin, 0);
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop, maxLabel());
    if (!m_samples.empty())
        painter.drawText(labels, Qt::AlignRight | Qt::AlignTop,
                         tr("%1 images/s").arg(formatRate(current())));

    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(pal.color(QPalette::Mid));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
}

void ThroughputGraph::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        setAccessibleName(tr("Throughput graph"));
        setToolTip(tr("Images per second over the last minute"));
        updateDescription();
    }
    QWidget::changeEvent(event);
}

void ThroughputGraph::updateDescription()
{
    const QString text = m_samples.empty()
                             ? tr("No images processed in the last minute")
                             : tr("Now %1 images/s, at most %2 images/s in the last minute")
                                   .arg(formatRate(current()), formatRate(peak()));
    if (text != accessibleDescription())
        setAccessibleDescription(text);
}

} // namespace sluice::app
