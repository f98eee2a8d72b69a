#include "inputscanner.h"

#include "localpath.h"
#include "printable.h"
#include "sink.h"
#include "zipentryname.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <quazip/quazip.h>
#include <quazip/quazipfileinfo.h>
#include <quazip/unzip.h>
#include <vector>

namespace sluice {

namespace {

bool looksLikeZip(const QString &path)
{
    const auto file = localpath::openForReading(path);
    if (!file->isOpen())
        return false;
    const QByteArray magic = file->read(4);
    return magic == QByteArrayLiteral("PK\x03\x04") || magic == QByteArrayLiteral("PK\x05\x06");
}

// An archive with no entries is nothing but its end-of-central-directory record, at offset 0 and
// all zero (an optional comment after it). minizip cannot open it (its search for that record
// takes a match at offset 0 for "not found"), yet it is a valid, empty archive.
bool isEmptyZip(const QString &path)
{
    const auto device = localpath::openForReading(path);
    QFile &file = *device;
    if (!file.isOpen() || file.size() < 22 || file.size() > 22 + 0xFFFF)
        return false;
    const QByteArray record = file.read(22);
    if (record.size() != 22 || !record.startsWith(QByteArrayLiteral("PK\x05\x06")))
        return false;
    for (int i = 4; i < 20; ++i) { // disk numbers, entry counts, directory size and offset
        if (record.at(i) != 0)
            return false;
    }
    const int commentLength = quint8(record.at(20)) | quint8(record.at(21)) << 8;
    return file.size() == 22 + commentLength;
}

QString cleanAbsolute(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

QString fileNameOf(const QString &path)
{
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}

// "a.b.zip" -> "a.b" and "zip"; a name without a dot (or only a leading one) has no suffix.
QString baseNameOf(const QString &name)
{
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    return dot > 0 ? name.left(dot) : name;
}

QString suffixOf(const QString &name)
{
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    return dot > 0 ? name.mid(dot + 1) : QString();
}

} // namespace

class InputScannerPrivate
{
public:
    struct DirFrame
    {
        std::unique_ptr<localpath::DirReader> reader;
        QString path;      // the folder as walked (names may hold escapes, see localpath.h)
        QString relPrefix; // ends with '/' unless empty
        QString canonical; // the folder's canonical path, for loop detection
    };

    QStringList pending;
    InputLimits limits;
    QSet<QString> excluded; // cleaned absolute and canonical forms
    bool includeRootName = true;
    bool includeHidden = false;
    QSet<QString> visitedDirs; // canonical paths of the folders entered so far
    InputScanner::Counters counters;
    qint64 nextIndex = 0;

    std::vector<DirFrame> dirs;

    std::unique_ptr<QFile> zipDevice; // names QuaZip cannot open itself (localpath.h)
    std::unique_ptr<QuaZip> zip;
    bool zipHasCurrent = false;
    QString zipPath;
    QString zipRelPrefix;
    qint64 zipDeclaredTotal = 0;
    qint64 zipFileSize = 0;
    qint64 zipEntryCount = 0; // as the end of central directory says
    qint64 zipListed = 0;     // directory records read so far
    int zipListError = 0;     // UNZ_OK, or why the directory could not be read on
    std::shared_ptr<ArchiveBudget> zipBudget;

    // A root inside an excluded folder is part of the output: never an input.
    bool isInsideExcluded(const QString &cleanPath) const
    {
        for (const QString &ex : excluded) {
            if (cleanPath.startsWith(ex + QLatin1Char('/')))
                return true;
        }
        return false;
    }

    // `path` is clean and absolute.
    bool isExcluded(const QString &path) const
    {
        if (excluded.isEmpty())
            return false;
        if (excluded.contains(path))
            return true;
        const QString canonical = localpath::canonical(path);
        return !canonical.isEmpty() && excluded.contains(canonical);
    }

    std::optional<InputItem> produce();
    std::optional<InputItem> startRoot(const QString &input);
    // `nested`: found inside a folder input (an archive Sluice wrote is skipped there).
    std::optional<InputItem> startArchive(const QString &path, const QString &relPrefix,
                                          bool nested = false);
    std::optional<InputItem> nextEntry();
    QString entryRefusal(const QuaZipFileInfo64 &info, const QString &raw, const QString &shown,
                         std::optional<QString> *clean);
    std::optional<InputItem> closeArchive();
    std::optional<InputItem> nextInDirectories();
    std::optional<InputItem> nextInFolder(const QString &path, const localpath::Status &status,
                                          const QString &relativePath);
    void enterFolder(const QString &path, const QString &canonical, const QString &relPrefix);
    bool isAncestor(const QString &canonical) const;
    InputItem skip(const QString &path, const QString &relativePath, InputItem::ScanSkip why)
    {
        ++counters.skipped;
        return InputItem::skipped(path, relativePath, why);
    }
};

static bool isSluiceOutputFolder(const QString &path)
{
    return localpath::status(path + QLatin1Char('/') + QLatin1String(OutputMarkerFile)).exists;
}

void InputScannerPrivate::enterFolder(const QString &path, const QString &canonical,
                                      const QString &relPrefix)
{
    visitedDirs.insert(canonical);
    dirs.push_back({std::make_unique<localpath::DirReader>(path), path, relPrefix, canonical});
}

bool InputScannerPrivate::isAncestor(const QString &canonical) const
{
    for (const DirFrame &frame : dirs) {
        if (frame.canonical == canonical)
            return true;
    }
    return false;
}

std::optional<InputItem> InputScannerPrivate::produce()
{
    for (;;) {
        if (zip) {
            if (auto item = nextEntry())
                return item;
            continue; // the archive is exhausted and closed
        }
        if (!dirs.empty()) {
            if (auto item = nextInDirectories())
                return item;
            continue;
        }
        if (pending.isEmpty())
            return std::nullopt;
        if (auto item = startRoot(pending.takeFirst()))
            return item;
    }
}

std::optional<InputItem> InputScannerPrivate::startRoot(const QString &input)
{
    const QString path = cleanAbsolute(input);
    const localpath::Status status = localpath::status(path);
    if (!status.exists) {
        ++counters.rejected;
        return InputItem::rejected(path, localpath::escaped(input),
                                   QStringLiteral("no such file or folder"));
    }
    const QString canonical = localpath::canonical(path);
    if (isExcluded(path) || isInsideExcluded(path) || isInsideExcluded(canonical)) {
        ++counters.excluded;
        return std::nullopt;
    }
    const QString name = localpath::readable(fileNameOf(path));
    if (status.isDir) {
        const QString prefix =
            includeRootName && !name.isEmpty() ? name + QLatin1Char('/') : QString();
        // Given explicitly, even a Sluice output folder is what the user wants processed.
        enterFolder(path, canonical, prefix);
        return std::nullopt;
    }
    if (looksLikeZip(path))
        return startArchive(path,
                            includeRootName ? baseNameOf(name) + QLatin1Char('/') : QString());
    ++counters.files;
    return InputItem::fromFile(path, name);
}

std::optional<InputItem> InputScannerPrivate::nextInDirectories()
{
    DirFrame &top = dirs.back();
    const QString raw = top.reader->next();
    if (raw.isEmpty()) {
        dirs.pop_back();
        return std::nullopt;
    }
    const QString path = top.path + QLatin1Char('/') + raw;
    const QString relativePath = top.relPrefix + localpath::readable(raw); // valid text
    if (isExcluded(path)) {
        ++counters.excluded;
        return std::nullopt;
    }
    if (!includeHidden && raw.startsWith(QLatin1Char('.')))
        return skip(path, relativePath, InputItem::ScanSkip::Hidden);
    const localpath::Status status = localpath::status(path);
    if (status.isDir)
        return nextInFolder(path, status, relativePath); // `top` dies if it pushes
    if (!status.isFile)
        return std::nullopt; // sockets, fifos, broken links
    if (suffixOf(raw).compare(u"zip", Qt::CaseInsensitive) == 0 && looksLikeZip(path))
        return startArchive(path, baseNameOf(relativePath) + QLatin1Char('/'), true);
    ++counters.files;
    return InputItem::fromFile(path, relativePath);
}

// A folder met inside an input. Symbolic links to folders are followed, except into a folder
// that holds the link (a loop) or one that was entered already (so nothing is done twice);
// folders that Sluice wrote are left out. Each of these is one skipped item.
std::optional<InputItem> InputScannerPrivate::nextInFolder(const QString &path,
                                                           const localpath::Status &status,
                                                           const QString &relativePath)
{
    const QString canonical = localpath::canonical(path);
    if (status.isSymLink && isAncestor(canonical))
        return skip(path, relativePath, InputItem::ScanSkip::LinkLoop);
    if (visitedDirs.contains(canonical))
        return skip(path, relativePath, InputItem::ScanSkip::LinkRepeat);
    if (isSluiceOutputFolder(path))
        return skip(path, relativePath, InputItem::ScanSkip::SluiceOutput);
    enterFolder(path, canonical, relativePath + QLatin1Char('/'));
    return std::nullopt;
}

std::optional<InputItem> InputScannerPrivate::startArchive(const QString &path,
                                                           const QString &relPrefix, bool nested)
{
    const QString display = relPrefix.isEmpty() ? localpath::readable(fileNameOf(path)) : relPrefix;
    std::unique_ptr<QFile> device;
    if (localpath::hasEscapes(path))
        device = localpath::openForReading(path);
    auto archive = device ? std::make_unique<QuaZip>(device.get()) : std::make_unique<QuaZip>(path);
    if (!archive->open(QuaZip::mdUnzip)) {
        if (isEmptyZip(path)) {
            ++counters.archives; // nothing to yield
            return std::nullopt;
        }
        ++counters.rejected;
        return InputItem::rejected(
            path, display,
            QStringLiteral("not a readable ZIP archive (error %1)").arg(archive->getZipError()));
    }
    if (nested && archive->getComment() == QLatin1String(OutputMarkerComment)) {
        return skip(path, relPrefix.chopped(1) + QLatin1Char('.') + suffixOf(fileNameOf(path)),
                    InputItem::ScanSkip::SluiceOutput);
    }
    ++counters.archives;
    const qint64 entries = archive->getEntriesCount();
    if (limits.maxArchiveEntries > 0 && entries > limits.maxArchiveEntries) {
        ++counters.rejected;
        return InputItem::rejected(path, display,
                                   QStringLiteral("archive has %1 entries, over the %2 entry "
                                                  "limit")
                                       .arg(entries)
                                       .arg(limits.maxArchiveEntries));
    }
    zipHasCurrent = entries > 0 && archive->goToFirstFile();
    zipListError = entries > 0 && !zipHasCurrent ? archive->getZipError() : UNZ_OK;
    if (entries > 0 && !zipHasCurrent && zipListError == UNZ_OK)
        zipListError = UNZ_BADZIPFILE;
    zip = std::move(archive);
    zipDevice = std::move(device);
    zipPath = path;
    zipRelPrefix = relPrefix;
    zipDeclaredTotal = 0;
    zipFileSize = localpath::status(path).size;
    zipEntryCount = entries;
    zipListed = 0;
    zipBudget = std::make_shared<ArchiveBudget>();
    return std::nullopt;
}

std::optional<InputItem> InputScannerPrivate::nextEntry()
{
    while (zipHasCurrent) {
        QuaZipFileInfo64 info;
        const bool haveInfo = zip->getCurrentFileInfo(&info);
        unz64_file_pos position{};
        const bool havePosition = unzGetFilePos64(zip->getUnzFile(), &position) == UNZ_OK;
        ++zipListed;
        zipHasCurrent = zip->goToNextFile();
        if (!zipHasCurrent)
            zipListError = zip->getZipError(); // UNZ_OK at the regular end of the list
        if (!haveInfo)
            continue;
        const QString raw = info.name;
        const QString shown = printable(raw); // for messages only; `raw` finds the entry
        const QString display = zipRelPrefix + shown;
        if (raw.endsWith(QLatin1Char('/')) && info.uncompressedSize == 0 && !info.isSymbolicLink())
            continue; // a directory entry
        std::optional<QString> clean;
        const QString why = entryRefusal(info, raw, shown, &clean);
        if (!why.isEmpty()) {
            ++counters.rejected;
            return InputItem::rejected(zipPath, display, why);
        }
        const qint64 declared = qint64(info.uncompressedSize);
        ++counters.archiveEntries;
        InputItem item =
            InputItem::fromArchiveEntry(zipPath, raw, zipRelPrefix + *clean, zipBudget);
        item.sizeHint = declared;
        if (havePosition) {
            item.entryDirectoryOffset = qint64(position.pos_in_zip_directory);
            item.entryNumber = qint64(position.num_of_file);
        }
        return item;
    }
    return closeArchive();
}

// Why an archive entry is refused (empty: it is not); `clean` receives its sanitised name.
// Every limit is checked on what the central directory declares, before anything is inflated.
QString InputScannerPrivate::entryRefusal(const QuaZipFileInfo64 &info, const QString &raw,
                                          const QString &shown, std::optional<QString> *clean)
{
    if (info.isSymbolicLink())
        return QStringLiteral("entry \"%1\" is a symbolic link").arg(shown);
    QString why;
    *clean = ZipEntryName::sanitize(raw, &why);
    if (!*clean)
        return QStringLiteral("unsafe entry name \"%1\": %2").arg(shown, why);
    if (info.isEncrypted())
        return QStringLiteral("entry \"%1\" is encrypted").arg(shown);
    const qint64 declared = qint64(info.uncompressedSize);
    if (limits.maxEntryBytes > 0 && declared > limits.maxEntryBytes)
        // One arg() pass: a chained arg() would also replace a "%1" inside the name.
        return QStringLiteral("entry \"%1\" is %2 bytes, over the %3 byte entry limit")
            .arg(shown, QString::number(declared), QString::number(limits.maxEntryBytes));
    if (limits.maxCompressionRatio > 0 && declared > 1024 * 1024 &&
        double(declared) >
            limits.maxCompressionRatio * double(qMax<quint64>(1, info.compressedSize)))
        return QStringLiteral("entry \"%1\" has a compression ratio over the %2:1 "
                              "limit (a ZIP bomb?)")
            .arg(shown, QString::number(limits.maxCompressionRatio));
    zipDeclaredTotal += declared;
    if (limits.maxArchiveBytes > 0 && zipDeclaredTotal > limits.maxArchiveBytes)
        return QStringLiteral("archive holds more than the %1 byte total limit")
            .arg(limits.maxArchiveBytes);
    // The ratio of the whole archive: directory records that share one deflate stream
    // (overlapping entries) each pass the per-entry ratio, their sum does not.
    if (limits.maxCompressionRatio > 0 && zipDeclaredTotal > 1024 * 1024 &&
        double(zipDeclaredTotal) >
            limits.maxCompressionRatio * double(qMax<qint64>(1, zipFileSize)))
        return QStringLiteral("archive would inflate past the %1:1 compression ratio "
                              "limit as a whole (%2 bytes from a %3-byte file; "
                              "overlapping entries? a ZIP bomb?)")
            .arg(limits.maxCompressionRatio)
            .arg(zipDeclaredTotal)
            .arg(zipFileSize);
    return {};
}

// The end of the archive's list. A list that broke off is reported: without this the rest of
// the archive would vanish from the batch without a word.
std::optional<InputItem> InputScannerPrivate::closeArchive()
{
    std::optional<InputItem> damaged;
    if (zipListError != UNZ_OK) {
        ++counters.rejected;
        const QString display =
            zipRelPrefix.isEmpty() ? localpath::readable(fileNameOf(zipPath)) : zipRelPrefix;
        const QString where =
            zipListed == 0
                ? QStringLiteral("at its first entry")
                : QStringLiteral("after entry %1 of %2").arg(zipListed).arg(zipEntryCount);
        damaged = InputItem::rejected(
            zipPath, display,
            QStringLiteral("the archive's list of entries is damaged %1 (error %2); the "
                           "remaining %3 entries cannot be read")
                .arg(where)
                .arg(zipListError)
                .arg(qMax<qint64>(0, zipEntryCount - zipListed)));
        zipListError = UNZ_OK;
    }
    zip->close();
    zip.reset();
    zipDevice.reset();
    zipBudget.reset();
    return damaged;
}

InputScanner::InputScanner(const QStringList &inputs, const InputLimits &limits)
    : d(std::make_unique<InputScannerPrivate>())
{
    d->pending = inputs;
    d->limits = limits;
}

InputScanner::~InputScanner() = default;

void InputScanner::setExcludedPaths(const QStringList &paths)
{
    d->excluded.clear();
    for (const QString &path : paths) {
        d->excluded.insert(cleanAbsolute(path));
        const QString canonical = localpath::canonical(cleanAbsolute(path));
        if (!canonical.isEmpty())
            d->excluded.insert(canonical);
    }
}

void InputScanner::setIncludeRootName(bool include)
{
    d->includeRootName = include;
}

void InputScanner::setIncludeHidden(bool include)
{
    d->includeHidden = include;
}

std::optional<InputItem> InputScanner::next()
{
    auto item = d->produce();
    if (item)
        item->index = d->nextIndex++;
    return item;
}

InputScanner::Counters InputScanner::counters() const
{
    return d->counters;
}

} // namespace sluice
