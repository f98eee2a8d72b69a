#include "batchmodel.h"

#include "batchmanager.h"

#include <QtMath>

namespace sluice::app {

namespace {

constexpr double RateSmoothing = 0.3;  // weight of the newest sample
constexpr qint64 MinSampleGapMs = 200; // shorter gaps make a jumpy rate
constexpr double IdleDecay = 0.5;      // a batch that stopped moving slows down on screen
constexpr int RateExpiryMs = 2000;     // with nothing done for this long, a batch shows no rate

qint64 progressValueOf(const BatchCounters &c)
{
    return c.done + c.failed + c.skipped;
}

// What the images/s count: images that were worked on.
qint64 processedOf(const BatchCounters &c)
{
    return c.done + c.failed;
}

} // namespace

BatchModel::BatchModel(BatchManager *manager, QObject *parent)
    : QAbstractTableModel(parent)
    , m_manager(manager)
{
    m_clock.start();
    WorkerPool *pool = &manager->pool();
    connect(pool, &WorkerPool::batchProgress, this, &BatchModel::updateProgress);
    connect(pool, &WorkerPool::batchStateChanged, this, &BatchModel::updateState);
    connect(pool, &WorkerPool::batchFinished, this, &BatchModel::finishBatch);
    connect(manager, &BatchManager::batchAdded, this, &BatchModel::addBatch);
    connect(manager, &BatchManager::batchRemoved, this, &BatchModel::removeBatch);
    connect(manager, &BatchManager::priorityChanged, this, &BatchModel::updatePriority);
    connect(manager, &BatchManager::scanFinished, this, &BatchModel::markScanned);
    connect(manager, &BatchManager::pausedAllChanged, this, &BatchModel::setPausedAll);
    m_pausedAll = manager->isPausedAll();
    m_rateExpiry.setInterval(RateExpiryMs / 2);
    connect(&m_rateExpiry, &QTimer::timeout, this, &BatchModel::expireRates);
}

int BatchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BatchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BatchModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::TextAlignmentRole:
        return index.column() >= DoneColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                            : QVariant();
    case BatchIdRole:
        return QVariant::fromValue(row.id);
    case ProgressValueRole:
        return progressValueOf(row.counters);
    case ProgressMaximumRole:
        return row.counters.submitted;
    case ScanningRole:
        return row.scanning;
    case StateRole:
        return int(row.state);
    case PauseReasonRole:
        return row.pauseReason;
    case Qt::ToolTipRole: // the whole reason; the column itself stays short
        if (index.column() != StateColumn)
            return {};
        if (!row.pauseReason.isEmpty())
            return pausedBecause(row.pauseReason);
        return m_pausedAll && !isTerminal(row.state) ? QVariant(pausedAllReason()) : QVariant();
    default:
        return {};
    }
}

QVariant BatchModel::displayData(const Row &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.name;
    case PriorityColumn:
        return priorityText(row.priority);
    case StateColumn:
        // Short, so that progress, counts and ETA stay in view; the reason is in the tooltip
        // and in the window's line about the selected batch.
        if (!row.pauseReason.isEmpty())
            return tr("Paused: disk full");
        return m_pausedAll && !isTerminal(row.state) ? pausedAllText() : stateText(row.state);
    case ProgressColumn:
        return progressText(row);
    case DoneColumn:
        return row.counters.done;
    case FailedColumn:
        return row.counters.failed;
    case SkippedColumn:
        return row.counters.skipped;
    case RateColumn:
        return showsRate(row) ? QString::number(row.rate, 'f', 1) : QString();
    case EtaColumn:
        return etaText(etaSeconds(row));
    default:
        return {};
    }
}

QString BatchModel::progressText(const Row &row) const
{
    const qint64 value = progressValueOf(row.counters);
    if (row.scanning)
        return tr("%1 of %2+").arg(value).arg(row.counters.submitted);
    return tr("%1 of %2").arg(value).arg(row.counters.submitted);
}

// -1 when unknown (still scanning, nothing measured yet, or over).
qint64 BatchModel::etaSeconds(const Row &row) const
{
    if (row.scanning || !showsRate(row))
        return -1;
    const qint64 remaining = row.counters.pending();
    return qint64(qCeil(double(remaining) / row.rate));
}

QString BatchModel::etaText(qint64 seconds)
{
    if (seconds < 0)
        return QString();
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QVariant BatchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Batch");
    case PriorityColumn:
        return tr("Priority");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress");
    case DoneColumn:
        return tr("Done");
    case FailedColumn:
        return tr("Failed");
    case SkippedColumn:
        return tr("Skipped");
    case RateColumn:
        return tr("Images/s");
    case EtaColumn:
        return tr("ETA");
    default:
        return {};
    }
}

BatchId BatchModel::batchAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

BatchState BatchModel::stateOf(BatchId batch) const
{
    const int row = rowOf(batch);
    return row < 0 ? BatchState::Queued : m_rows[row].state;
}

BatchCounters BatchModel::countersOf(BatchId batch) const
{
    const int row = rowOf(batch);
    return row < 0 ? BatchCounters{} : m_rows[row].counters;
}

QPair<qint64, qint64> BatchModel::overallProgress() const
{
    qint64 finished = 0, total = 0;
    for (const Row &row : m_rows) {
        finished += row.counters.terminal();
        total += row.counters.submitted;
    }
    return {finished, total};
}

QString BatchModel::pausedBecause(const QString &reason)
{
    return tr("Paused: %1 (free space, then Resume)").arg(reason);
}

QString BatchModel::stateText(BatchState state)
{
    switch (state) {
    case BatchState::Queued:
        return tr("Queued");
    case BatchState::Running:
        return tr("Running");
    case BatchState::Pausing:
        return tr("Pausing");
    case BatchState::Paused:
        return tr("Paused");
    case BatchState::Canceling:
        return tr("Canceling");
    case BatchState::Finished:
        return tr("Finished");
    case BatchState::Canceled:
        return tr("Canceled");
    }
    return {};
}

QString BatchModel::pausedAllText()
{
    return tr("Paused (all)");
}

QString BatchModel::pausedAllReason()
{
    return tr("All batches are paused. Resume All (Ctrl+Shift+R) continues them.");
}

bool BatchModel::isHeld(const Row &row) const
{
    return row.state == BatchState::Paused || row.state == BatchState::Pausing ||
           (m_pausedAll && !isTerminal(row.state));
}

bool BatchModel::showsRate(const Row &row) const
{
    return !isTerminal(row.state) && !isHeld(row) && row.rate >= 0.05;
}

void BatchModel::setPausedAll(bool paused)
{
    if (m_pausedAll == paused)
        return;
    m_pausedAll = paused;
    for (Row &row : m_rows) { // a held batch starts its rate afresh when it goes on
        row.rate = 0;
        row.lastSampleMs = -1;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, StateColumn), index(int(m_rows.size()) - 1, EtaColumn));
}

// A batch with nothing done for RateExpiryMs (a starved Low batch, one waiting on a slow
// image) shows no rate rather than the last one it had. The timer runs only while a rate is
// shown, so an idle window does no work.
void BatchModel::expireRates()
{
    const qint64 now = m_clock.elapsed();
    bool anyShown = false;
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        if (row.rate > 0 && row.lastMovedMs >= 0 && now - row.lastMovedMs >= RateExpiryMs) {
            row.rate = 0;
            emitRowChanged(i, RateColumn, EtaColumn);
        }
        anyShown = anyShown || row.rate > 0;
    }
    if (!anyShown)
        m_rateExpiry.stop();
}

QString BatchModel::priorityText(Priority priority)
{
    switch (priority) {
    case Priority::High:
        return tr("High");
    case Priority::Normal:
        return tr("Normal");
    case Priority::Low:
        return tr("Low");
    }
    return {};
}

void BatchModel::addBatch(BatchId batch)
{
    if (m_rowOf.contains(batch))
        return;
    Row row;
    row.id = batch;
    row.name = m_manager->name(batch);
    row.priority = m_manager->priority(batch);
    row.state = m_manager->pool().engine().state(batch);
    // A batch can pause before its row exists (a full disk at its first image on a busy
    // machine): the reason is read here too, as updateState() skips an unchanged state.
    row.pauseReason = pauseReasonOf(batch, row.state);
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(row);
    m_rowOf.insert(batch, at);
    endInsertRows();
    emit totalsChanged();
}

void BatchModel::removeBatch(BatchId batch)
{
    const int row = rowOf(batch);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    rebuildIndex();
    endRemoveRows();
    emit totalsChanged();
}

void BatchModel::updatePriority(BatchId batch, Priority priority)
{
    const int row = rowOf(batch);
    if (row < 0 || m_rows[row].priority == priority)
        return;
    m_rows[row].priority = priority;
    emitRowChanged(row, PriorityColumn, PriorityColumn);
}

void BatchModel::updateProgress(BatchId batch, const BatchCounters &counters)
{
    const int row = rowOf(batch);
    if (row < 0 || m_rows[row].counters == counters)
        return;
    m_rows[row].counters = counters;
    sampleRate(m_rows[row]);
    emitRowChanged(row, ProgressColumn, EtaColumn);
    emit totalsChanged();
}

QString BatchModel::pauseReasonOf(BatchId batch, BatchState state) const
{
    return state == BatchState::Paused || state == BatchState::Pausing
               ? m_manager->pool().engine().pauseReason(batch)
               : QString();
}

void BatchModel::updateState(BatchId batch, BatchState state)
{
    const int row = rowOf(batch);
    if (row < 0 || m_rows[row].state == state)
        return;
    Row &r = m_rows[row];
    r.state = state;
    r.pauseReason = pauseReasonOf(batch, state);
    if (isHeld(r)) { // its rate starts afresh when it goes on
        r.rate = 0;
        r.lastSampleMs = -1;
    }
    emitRowChanged(row, StateColumn, EtaColumn);
}

void BatchModel::finishBatch(const BatchSummary &summary)
{
    const int row = rowOf(summary.id);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    r.state = summary.state;
    r.counters = summary.counters;
    r.scanning = false;
    r.rate = 0;
    emitRowChanged(row, StateColumn, EtaColumn);
    emit totalsChanged();
}

void BatchModel::markScanned(BatchId batch)
{
    const int row = rowOf(batch);
    if (row < 0 || !m_rows[row].scanning)
        return;
    m_rows[row].scanning = false;
    emitRowChanged(row, ProgressColumn, EtaColumn);
}

// Images per second from the change of done + failed between samples, smoothed.
void BatchModel::sampleRate(Row &row)
{
    const qint64 now = m_clock.elapsed();
    const qint64 processed = processedOf(row.counters);
    if (row.lastSampleMs < 0 || processed < row.lastProcessed) {
        row.lastSampleMs = now;
        row.lastProcessed = processed;
        return;
    }
    if (processed > row.lastProcessed)
        row.lastMovedMs = now;
    const qint64 gap = now - row.lastSampleMs;
    if (gap < MinSampleGapMs)
        return;
    const double sample = double(processed - row.lastProcessed) * 1000.0 / double(gap);
    row.rate =
        sample > 0 ? RateSmoothing * sample + (1 - RateSmoothing) * row.rate : row.rate * IdleDecay;
    row.lastSampleMs = now;
    row.lastProcessed = processed;
    if (row.rate > 0 && !m_rateExpiry.isActive())
        m_rateExpiry.start();
}

void BatchModel::emitRowChanged(int row, int firstColumn, int lastColumn)
{
    emit dataChanged(index(row, firstColumn), index(row, lastColumn));
}

void BatchModel::rebuildIndex()
{
    m_rowOf.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows[i].id, i);
}

} // namespace sluice::app
