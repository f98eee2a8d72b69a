#include "testimages.h"

#include <QTemporaryDir>
#include <QtTest>
#include <inputreader.h>
#include <inputscanner.h>

using namespace sluice;
using namespace testimages;

namespace {

// Bytes that a Qt image plugin recognises (a PNG signature) followed by filler.
QByteArray imageish(int size, char fill = 'x')
{
    return QByteArrayLiteral("\x89PNG\r\n\x1a\n") + QByteArray(size, fill);
}

// A file that adds what it reads to a counter which outlives it.
class CountingFile : public QFile
{
public:
    CountingFile(const QString &path, qint64 *counter)
        : QFile(path)
        , m_counter(counter)
    {}

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = QFile::readData(data, maxSize);
        *m_counter += qMax<qint64>(0, n);
        return n;
    }

private:
    qint64 *m_counter;
};

} // namespace

class tst_InputReader : public QObject
{
    Q_OBJECT

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init();
    void readsFile();
    void missingFileIsTransient();
    void folderIsPermanent();
    void openFailureIsTransient();
    void growingFileIsTransient();
    void readsArchiveEntry();
    void archiveFailures_data();
    void archiveFailures();
    void archiveTotalIsShared();
    void nonImageStopsAfterFirstChunk();
    void nonImageEntry();
    void entryPositionFromScan();
};

void tst_InputReader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_InputReader::readsFile()
{
    const QByteArray bytes = imageish(300'000) + "end";
    writeFile(path(QStringLiteral("a.bin")), bytes);
    const InputData data = InputReader().read(
        InputItem::fromFile(path(QStringLiteral("a.bin")), QStringLiteral("a.bin")));
    QVERIFY2(data.ok, qPrintable(data.error));
    QCOMPARE(data.bytes, bytes);
    QCOMPARE(data.modified, QFileInfo(path(QStringLiteral("a.bin"))).lastModified());
}

void tst_InputReader::missingFileIsTransient()
{
    const InputData data = InputReader().read(
        InputItem::fromFile(path(QStringLiteral("gone.jpg")), QStringLiteral("gone.jpg")));
    QVERIFY(!data.ok);
    QVERIFY(data.transient);
}

void tst_InputReader::folderIsPermanent()
{
    QDir().mkpath(path(QStringLiteral("d.jpg")));
    const InputData data = InputReader().read(
        InputItem::fromFile(path(QStringLiteral("d.jpg")), QStringLiteral("d.jpg")));
    QVERIFY(!data.ok);
    QVERIFY(!data.transient);
    QCOMPARE(data.error, QStringLiteral("is a folder, not a file"));
}

void tst_InputReader::openFailureIsTransient()
{
    writeFile(path(QStringLiteral("locked.jpg")), "x");
    const InputReader reader({}, [](const QString &) { return std::unique_ptr<QIODevice>(); });
    const InputData data = reader.read(
        InputItem::fromFile(path(QStringLiteral("locked.jpg")), QStringLiteral("locked.jpg")));
    QVERIFY(!data.ok);
    QVERIFY(data.transient);
    QVERIFY(data.error.startsWith(QStringLiteral("cannot open the file")));
}

void tst_InputReader::growingFileIsTransient()
{
    const QString file = path(QStringLiteral("copying.jpg"));
    writeFile(file, imageish(1000));
    // The opener plays the part of a copy still in progress: more bytes land after our stat.
    const InputReader reader({}, [](const QString &p) -> std::unique_ptr<QIODevice> {
        QFile writer(p);
        writer.open(QIODevice::Append);
        writer.write(QByteArray(500, 'b'));
        writer.close();
        auto in = std::make_unique<QFile>(p);
        in->open(QIODevice::ReadOnly);
        return in;
    });
    const InputData data = reader.read(InputItem::fromFile(file, QStringLiteral("copying.jpg")));
    QVERIFY(!data.ok);
    QVERIFY(data.transient);
    QVERIFY2(data.error.contains(QStringLiteral("still being written")), qPrintable(data.error));
}

void tst_InputReader::readsArchiveEntry()
{
    const QString zip = path(QStringLiteral("a.zip"));
    const QByteArray bytes = imageish(100'000, 'q');
    QVERIFY(writeZip(zip, {{QStringLiteral("dir/x.png"), bytes}}));
    const InputData data = InputReader().read(
        InputItem::fromArchiveEntry(zip, QStringLiteral("dir/x.png"), QStringLiteral("a/dir/x.png"),
                                    std::make_shared<ArchiveBudget>()));
    QVERIFY2(data.ok, qPrintable(data.error));
    QCOMPARE(data.bytes, bytes);
    QCOMPARE(data.modified, QFileInfo(zip).lastModified());
}

void tst_InputReader::archiveFailures_data()
{
    QTest::addColumn<QString>("entry");      // the entry asked for
    QTest::addColumn<QByteArray>("content"); // of "x.png" (or of the whole file: "raw")
    QTest::addColumn<bool>("symlink");
    QTest::addColumn<qint64>("maxEntryBytes");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<QString>("reason");

    QTest::newRow("over entry limit")
        << "x.png" << imageish(5000, 'z') << false << qint64(1000) << false << "per-entry limit";
    QTest::newRow("zip bomb ratio") << "x.png" << imageish(4 * 1024 * 1024, '\0') << false
                                    << qint64(0) << false << "compression ratio";
    QTest::newRow("entry gone") << "y.png" << QByteArray("abc") << false << qint64(0) << false
                                << "not in the archive";
    QTest::newRow("symlink entry")
        << "x.png" << QByteArray("/etc/passwd") << true << qint64(0) << false << "symbolic link";
    QTest::newRow("not a zip") << "raw" << QByteArray("PK\x03\x04 garbage garbage") << false
                               << qint64(0) << false << "not a readable ZIP";
    QTest::newRow("archive vanished")
        << "missing" << QByteArray() << false << qint64(0) << true << "archive not found";
}

void tst_InputReader::archiveFailures()
{
    QFETCH(QString, entry);
    QFETCH(QByteArray, content);
    QFETCH(bool, symlink);
    QFETCH(qint64, maxEntryBytes);
    QFETCH(bool, transient);
    QFETCH(QString, reason);

    const QString zip = path(QStringLiteral("t.zip"));
    if (entry == u"raw")
        writeFile(zip, content);
    else if (entry != u"missing")
        QVERIFY(writeZip(zip, {{QStringLiteral("x.png"), content, symlink}}));
    InputLimits limits;
    limits.maxEntryBytes = maxEntryBytes;
    const InputData data = InputReader(limits).read(InputItem::fromArchiveEntry(
        zip, entry == u"raw" || entry == u"missing" ? QStringLiteral("x.png") : entry,
        QStringLiteral("t/x.png"), std::make_shared<ArchiveBudget>()));
    QVERIFY(!data.ok);
    QCOMPARE(data.transient, transient);
    QVERIFY2(data.error.contains(reason), qPrintable(data.error));
}

void tst_InputReader::archiveTotalIsShared()
{
    const QString zip = path(QStringLiteral("t.zip"));
    QVERIFY(writeZip(zip, {{QStringLiteral("a.png"), imageish(3000, 'a')},
                           {QStringLiteral("b.png"), imageish(3000, 'b')}}));
    InputLimits limits;
    limits.maxArchiveBytes = 5000;
    const InputReader reader(limits);
    auto budget = std::make_shared<ArchiveBudget>();
    const InputData first = reader.read(InputItem::fromArchiveEntry(
        zip, QStringLiteral("a.png"), QStringLiteral("t/a.png"), budget));
    QVERIFY(first.ok);
    const InputData second = reader.read(InputItem::fromArchiveEntry(
        zip, QStringLiteral("b.png"), QStringLiteral("t/b.png"), budget));
    QVERIFY(!second.ok);
    QVERIFY(!second.transient);
    QVERIFY2(second.error.contains(QStringLiteral("total limit")), qPrintable(second.error));
}

void tst_InputReader::nonImageStopsAfterFirstChunk()
{
    const QString file = path(QStringLiteral("movie.mp4"));
    writeFile(file, QByteArray("just text, not a picture\n").repeated(400'000)); // ~10 MB
    qint64 read = 0;
    const InputReader reader({}, [&read](const QString &p) -> std::unique_ptr<QIODevice> {
        auto counting = std::make_unique<CountingFile>(p, &read);
        counting->open(QIODevice::ReadOnly);
        return counting;
    });
    const InputData data = reader.read(InputItem::fromFile(file, QStringLiteral("movie.mp4")));
    QVERIFY(!data.ok);
    QVERIFY(data.notAnImage);
    QVERIFY(!data.transient);
    QCOMPARE(data.error, QStringLiteral("not an image (text/plain)"));
    QVERIFY(data.bytes.isEmpty());
    QVERIFY2(read <= 1024 * 1024, qPrintable(QString::number(read))); // not the whole 10 MB
}

void tst_InputReader::nonImageEntry()
{
    const QString zip = path(QStringLiteral("t.zip"));
    QVERIFY(writeZip(zip, {{QStringLiteral("readme.txt"), QByteArray("hello\n").repeated(1000)}}));
    const InputData data = InputReader().read(InputItem::fromArchiveEntry(
        zip, QStringLiteral("readme.txt"), QStringLiteral("t/readme.txt"),
        std::make_shared<ArchiveBudget>()));
    QVERIFY(data.notAnImage);
    QVERIFY(data.error.startsWith(QStringLiteral("not an image")));
}

void tst_InputReader::entryPositionFromScan()
{
    const QString zip = path(QStringLiteral("t.zip"));
    QList<ZipEntry> entries;
    for (int i = 0; i < 50; ++i)
        entries << ZipEntry{QStringLiteral("e%1.png").arg(i), imageish(100, char('A' + i % 26))};
    QVERIFY(writeZip(zip, entries));
    InputScanner scanner({zip});
    QList<InputItem> items;
    while (auto item = scanner.next())
        items << *item;
    QCOMPARE(items.size(), 50);
    const InputReader reader;
    for (const InputItem &item : items) {
        QVERIFY(item.entryDirectoryOffset >= 0);
        const InputData data = reader.read(item);
        QVERIFY2(data.ok, qPrintable(data.error));
        const int i = item.entryName.mid(1, item.entryName.size() - 5).toInt();
        QCOMPARE(data.bytes, imageish(100, char('A' + i % 26)));
    }
    // A stale position (the archive was rewritten) falls back to the name.
    InputItem stale = items.at(10);
    stale.entryDirectoryOffset = items.at(20).entryDirectoryOffset;
    stale.entryNumber = items.at(20).entryNumber;
    const InputData staleData = reader.read(stale);
    QVERIFY2(staleData.ok, qPrintable(staleData.error));
    QCOMPARE(staleData.bytes, imageish(100, char('A' + 10)));
}

QTEST_GUILESS_MAIN(tst_InputReader)
#include "tst_inputreader.moc"
