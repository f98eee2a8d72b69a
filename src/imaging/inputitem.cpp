#include "inputitem.h"

namespace sluice {

QString InputItem::displayName() const
{
    if (isArchiveEntry())
        return sourcePath + QLatin1Char(':') + entryName;
    return relativePath.isEmpty() ? sourcePath : relativePath;
}

int InputItem::shard(int count) const
{
    if (count <= 1)
        return 0;
    // FNV-1a, 64 bit: qHash() is seeded per process and would differ between hosts.
    quint64 hash = 14695981039346656037ULL;
    for (char byte : relativePath.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 1099511628211ULL;
    }
    return int(hash % quint64(count));
}

InputItem InputItem::fromFile(const QString &path, const QString &relativePath)
{
    InputItem item;
    item.kind = Kind::File;
    item.sourcePath = path;
    item.relativePath = relativePath;
    return item;
}

InputItem InputItem::fromArchiveEntry(const QString &archivePath, const QString &entryName,
                                      const QString &relativePath,
                                      std::shared_ptr<ArchiveBudget> budget)
{
    InputItem item;
    item.kind = Kind::ArchiveEntry;
    item.sourcePath = archivePath;
    item.entryName = entryName;
    item.relativePath = relativePath;
    item.archiveBudget = std::move(budget);
    return item;
}

InputItem InputItem::rejected(const QString &sourcePath, const QString &relativePath,
                              const QString &reason)
{
    InputItem item;
    item.sourcePath = sourcePath;
    item.relativePath = relativePath;
    item.rejection = reason;
    return item;
}

InputItem InputItem::skipped(const QString &path, const QString &relativePath, ScanSkip why)
{
    InputItem item;
    item.sourcePath = path;
    item.relativePath = relativePath;
    item.scanSkip = why;
    return item;
}

} // namespace sluice
