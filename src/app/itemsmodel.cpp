#include "itemsmodel.h"

#include "batchmanager.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

namespace sluice::app {

namespace {

// Worker thread: reads only what a small preview needs (scaled decode where the format can).
QImage loadThumbnail(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(
            size.scaled(ItemsModel::ThumbnailSide, ItemsModel::ThumbnailSide, Qt::KeepAspectRatio));
    return reader.read();
}

} // namespace

ItemsModel::ItemsModel(BatchManager *manager, QObject *parent)
    : QAbstractTableModel(parent)
    , m_manager(manager)
{
    m_loader.setMaxThreadCount(1);
    connect(manager, &BatchManager::itemsAdded, this, &ItemsModel::handleItemsAdded);
    connect(manager, &BatchManager::batchRemoved, this, &ItemsModel::handleBatchRemoved);
}

ItemsModel::~ItemsModel()
{
    m_loader.clear();
    m_loader.waitForDone();
}

void ItemsModel::setBatch(BatchId batch)
{
    beginResetModel();
    m_batch = batch;
    m_rows = int(m_manager->items(batch).size());
    m_thumbnails.clear();
    endResetModel();
}

int ItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ItemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ItemsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    const ItemRecord &item = m_manager->items(m_batch).at(index.row());
    if (role == Qt::DecorationRole && index.column() == NameColumn)
        return thumbnail(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case NameColumn: {
        const InputItem input = m_manager->inputOf(m_batch, item.tag);
        return input.relativePath.isEmpty() ? input.displayName() : input.relativePath;
    }
    case StatusColumn:
        return statusText(item.status);
    case AttemptsColumn:
        return item.attempts;
    case DetailColumn:
        if (item.status != ResultStatus::Done)
            return item.message;
        return item.message.isEmpty()
                   ? shownOutput(item.outputPath)
                   : tr("%1 (%2)").arg(shownOutput(item.outputPath), item.message);
    default:
        return {};
    }
}

// Folder outputs relative to the batch's output folder; ZIP entry names as they are.
QString ItemsModel::shownOutput(const QString &outputPath) const
{
    const QString root = m_manager->outputPath(m_batch) + QLatin1Char('/');
    return outputPath.startsWith(root) ? outputPath.mid(root.size()) : outputPath;
}

QVariant ItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Image");
    case StatusColumn:
        return tr("Status");
    case AttemptsColumn:
        return tr("Attempts");
    case DetailColumn:
        return tr("Output or reason");
    default:
        return {};
    }
}

QString ItemsModel::statusText(ResultStatus status)
{
    switch (status) {
    case ResultStatus::Done:
        return tr("Done");
    case ResultStatus::Skipped:
        return tr("Skipped");
    case ResultStatus::Failed:
        return tr("Failed");
    case ResultStatus::Canceled:
        return tr("Canceled");
    }
    return {};
}

QVariant ItemsModel::thumbnail(int row) const
{
    const ItemRecord &item = m_manager->items(m_batch).at(row);
    if (item.status != ResultStatus::Done || m_manager->isZipOutput(m_batch))
        return {};
    const auto it = m_thumbnails.constFind(item.outputPath);
    if (it != m_thumbnails.cend())
        return it.value();
    requestThumbnail(row, item.outputPath);
    return {};
}

void ItemsModel::requestThumbnail(int row, const QString &path) const
{
    if (m_loading.contains(path))
        return;
    m_loading.insert(path);
    auto *self = const_cast<ItemsModel *>(this);
    auto *watcher = new QFutureWatcher<QImage>(self);
    connect(watcher, &QFutureWatcher<QImage>::finished, self, [self, watcher, path, row] {
        if (!watcher->isCanceled())
            self->thumbnailLoaded(row, path, watcher->result());
        self->m_loading.remove(path);
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(&m_loader, loadThumbnail, path));
}

void ItemsModel::thumbnailLoaded(int row, const QString &path, const QImage &image)
{
    m_thumbnails.insert(path, image);
    // The batch may have changed meanwhile: only a row that still shows this output repaints.
    if (row < m_rows && m_manager->items(m_batch).at(row).outputPath == path)
        emit dataChanged(index(row, NameColumn), index(row, NameColumn), {Qt::DecorationRole});
}

void ItemsModel::handleItemsAdded(BatchId batch, int first, int count)
{
    if (batch != m_batch || count <= 0)
        return;
    beginInsertRows({}, first, first + count - 1);
    m_rows = first + count;
    endInsertRows();
}

void ItemsModel::handleBatchRemoved(BatchId batch)
{
    if (batch == m_batch)
        setBatch(0);
}

} // namespace sluice::app
