// The items of one batch, as their results arrive (completion order): name, status, attempts,
// failure reason or output. Finished folder outputs get a thumbnail, loaded on demand (only
// rows a view asks for) on a private thread pool, never on the GUI thread.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QImage>
#include <QSet>
#include <QThreadPool>
#include <pooltypes.h>

namespace sluice::app {

class BatchManager;

class ItemsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        StatusColumn,
        AttemptsColumn,
        DetailColumn,
        ColumnCount
    };
    static constexpr int ThumbnailSide = 48;

    explicit ItemsModel(BatchManager *manager, QObject *parent = nullptr);
    ~ItemsModel() override;

    void setBatch(BatchId batch); // 0: none
    BatchId batch() const { return m_batch; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString statusText(ResultStatus status);

private:
    void handleItemsAdded(sluice::BatchId batch, int first, int count);
    void handleBatchRemoved(sluice::BatchId batch);
    QVariant thumbnail(int row) const;
    QString shownOutput(const QString &outputPath) const;
    void requestThumbnail(int row, const QString &path) const;
    void thumbnailLoaded(int row, const QString &path, const QImage &image);

    BatchManager *m_manager;
    BatchId m_batch = 0;
    int m_rows = 0;
    mutable QHash<QString, QImage> m_thumbnails;
    mutable QSet<QString> m_loading;
    mutable QThreadPool m_loader; // last member: destroyed (and waited for) first
};

} // namespace sluice::app
