// One row per batch, fed by the pool facade's signals (progress, state, finished) and by the
// BatchManager's (added, removed, priority, scan finished, Pause All). A batch's images/s count
// the images done or failed (a cancel or a skip is no work), and show only while the batch
// moves: paused, held by Pause All, or with nothing done for RateExpiryMs, it shows none. The
// facade already coalesces progress to about 25 updates per second per batch; each update changes
// only its own row, and only the columns whose values moved.
#pragma once

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
#include <QVector>
#include <pooltypes.h>

namespace sluice::app {

class BatchManager;

class BatchModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        PriorityColumn,
        StateColumn,
        ProgressColumn,
        DoneColumn,
        FailedColumn,
        SkippedColumn,
        RateColumn,
        EtaColumn,
        ColumnCount
    };
    enum Role
    {
        BatchIdRole = Qt::UserRole + 1,
        ProgressValueRole,   // qint64: done + failed + skipped
        ProgressMaximumRole, // qint64: submitted so far
        ScanningRole,        // bool: the total may still grow
        StateRole,           // int(BatchState)
        PauseReasonRole      // QString: why a task paused the batch (a full disk), else empty
    };

    explicit BatchModel(BatchManager *manager, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(BatchId batch) const { return m_rowOf.value(batch, -1); }
    BatchId batchAt(int row) const;
    BatchState stateOf(BatchId batch) const;
    BatchCounters countersOf(BatchId batch) const;
    // Over all rows: (done + failed + skipped + canceled, submitted).
    QPair<qint64, qint64> overallProgress() const;

    static QString stateText(BatchState state);
    // The State column of a batch held by "Pause All", and the sentence of its tooltip.
    static QString pausedAllText();
    static QString pausedAllReason();
    // The whole sentence for a batch that a task paused (a full output disk), with what to do.
    static QString pausedBecause(const QString &reason);
    static QString priorityText(Priority priority);
    static QString etaText(qint64 seconds);

signals:
    void totalsChanged();

private:
    struct Row
    {
        BatchId id = 0;
        QString name;
        Priority priority = Priority::Normal;
        BatchState state = BatchState::Queued;
        QString pauseReason; // when a task paused the batch (a full output disk)
        BatchCounters counters;
        bool scanning = true;
        double rate = 0;          // images per second (done + failed), smoothed
        qint64 lastProcessed = 0; // done + failed at the last sample
        qint64 lastSampleMs = -1;
        qint64 lastMovedMs = -1; // when an image was last done or failed
    };

    void addBatch(sluice::BatchId batch);
    void removeBatch(sluice::BatchId batch);
    void updatePriority(sluice::BatchId batch, sluice::Priority priority);
    void updateProgress(sluice::BatchId batch, const sluice::BatchCounters &counters);
    void updateState(sluice::BatchId batch, sluice::BatchState state);
    QString pauseReasonOf(sluice::BatchId batch, sluice::BatchState state) const;
    void finishBatch(const sluice::BatchSummary &summary);
    void markScanned(sluice::BatchId batch);
    void sampleRate(Row &row);
    void setPausedAll(bool paused);
    void expireRates();
    bool isHeld(const Row &row) const; // paused, by itself or by "Pause All"
    bool showsRate(const Row &row) const;
    void emitRowChanged(int row, int firstColumn, int lastColumn);
    QVariant displayData(const Row &row, int column) const;
    QString progressText(const Row &row) const;
    qint64 etaSeconds(const Row &row) const;
    void rebuildIndex();

    BatchManager *m_manager;
    QVector<Row> m_rows;
    QHash<BatchId, int> m_rowOf;
    QElapsedTimer m_clock;
    QTimer m_rateExpiry; // runs only while some row shows a rate
    bool m_pausedAll = false;
};

} // namespace sluice::app
