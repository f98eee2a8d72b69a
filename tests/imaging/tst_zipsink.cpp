#include "testimages.h"

#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>
#include <imagejob.h>
#include <inputscanner.h>
#include <thread>
#include <zipsink.h>

using namespace sluice;
using namespace testimages;

namespace {

OutputRequest request(const QString &relativePath)
{
    OutputRequest r;
    r.item = InputItem::fromFile(QStringLiteral("/in/") + relativePath, relativePath);
    r.extension = QStringLiteral("jpg");
    r.outputSize = QSize(10, 10);
    return r;
}

} // namespace

class tst_ZipSink : public QObject
{
    Q_OBJECT

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init();
    void folderInZipOut();
    void zipInZipOut();
    void finishRenamesAndReplaces();
    void abortDeletesTemporary();
    void destructorAborts();
    void startFailsClearly();
    void duplicateNames_data();
    void duplicateNames();
    void manyWritersThroughSmallQueue();
    void canceledCommitIsNotWritten();
};

void tst_ZipSink::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ZipSink::folderInZipOut()
{
    writeImage(path(QStringLiteral("photos/a.jpg")), QSize(400, 300), "jpeg");
    writeImage(path(QStringLiteral("photos/2024/b.png")), QSize(300, 400), "png");
    writeFile(path(QStringLiteral("photos/notes.txt")), "text");
    Recipe recipe;
    recipe.targetSize = QSize(100, 100);
    recipe.format = OutputFormat::Jpeg;
    const QString zipPath = path(QStringLiteral("out.zip"));
    ZipSink sink(zipPath, recipe);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    QVERIFY(QFile::exists(sink.temporaryPath()));
    QVERIFY(!QFile::exists(zipPath));

    InputScanner scanner({path(QStringLiteral("photos"))});
    scanner.setExcludedPaths({zipPath});
    int done = 0, skipped = 0;
    while (auto item = scanner.next()) {
        FakeTask task;
        const TaskOutcome outcome = processImage(*item, recipe, sink, task.ctx);
        done += outcome.kind == OutcomeKind::Done;
        skipped += outcome.kind == OutcomeKind::Skipped;
    }
    QCOMPARE(done, 2);
    QCOMPARE(skipped, 1);
    QVERIFY2(sink.finish(&error), qPrintable(error));
    QVERIFY(QFile::exists(zipPath));
    QVERIFY(!QFile::exists(sink.temporaryPath()));

    QCOMPARE(zipEntryNames(zipPath),
             (QStringList{QStringLiteral("photos/2024/b.jpg"), QStringLiteral("photos/a.jpg")}));
    const QImage b = QImage::fromData(zipEntryData(zipPath, QStringLiteral("photos/2024/b.jpg")));
    QCOMPARE(b.size(), QSize(75, 100));
    QCOMPARE(b.text(QLatin1String(FingerprintKey)), recipe.fingerprint());
}

void tst_ZipSink::zipInZipOut()
{
    const QString in = path(QStringLiteral("supplier.zip"));
    QVERIFY(
        writeZip(in, {{QStringLiteral("shots/a.jpg"), encode(quadrants(QSize(1600, 1200)), "jpeg")},
                      {QStringLiteral("shots/b.webp"), encode(quadrants(QSize(600, 1200)), "webp")},
                      {QStringLiteral("../../evil.png"), encode(quadrants(QSize(8, 8)), "png")}}));
    Recipe recipe;
    recipe.targetSize = QSize(1200, 1200);
    recipe.format = OutputFormat::Jpeg;
    const QString out = path(QStringLiteral("products.zip"));
    ZipSink sink(out, recipe);
    QVERIFY(sink.start());
    InputScanner scanner({in});
    QStringList failures;
    while (auto item = scanner.next()) {
        FakeTask task;
        const TaskOutcome outcome = processImage(*item, recipe, sink, task.ctx);
        if (outcome.kind == OutcomeKind::PermanentFailure)
            failures << outcome.message;
    }
    QVERIFY(sink.finish());
    QCOMPARE(failures.size(), 1);
    QVERIFY2(failures.first().contains(QStringLiteral("unsafe entry name")),
             qPrintable(failures.first()));
    QCOMPARE(zipEntryNames(out), (QStringList{QStringLiteral("supplier/shots/a.jpg"),
                                              QStringLiteral("supplier/shots/b.jpg")}));
    QCOMPARE(QImage::fromData(zipEntryData(out, QStringLiteral("supplier/shots/a.jpg"))).size(),
             QSize(1200, 900));
    QCOMPARE(QImage::fromData(zipEntryData(out, QStringLiteral("supplier/shots/b.jpg"))).size(),
             QSize(600, 1200));
    QCOMPARE(listFiles(m_dir->path()),
             (QStringList{QStringLiteral("products.zip"), QStringLiteral("supplier.zip")}));
}

void tst_ZipSink::finishRenamesAndReplaces()
{
    const QString zipPath = path(QStringLiteral("out.zip"));
    writeFile(zipPath, "an older archive");
    ZipSink sink(zipPath, Recipe());
    QVERIFY(sink.start());
    FakeTask task;
    const Reservation r = sink.reserve(request(QStringLiteral("x.png")));
    QVERIFY(sink.commit(r, "payload", task.ctx).ok);
    QVERIFY(sink.finish());
    QCOMPARE(zipEntryNames(zipPath), QStringList{QStringLiteral("x.jpg")});
    QCOMPARE(zipEntryData(zipPath, QStringLiteral("x.jpg")), QByteArray("payload"));
    QCOMPARE(listFiles(m_dir->path()), QStringList{QStringLiteral("out.zip")});
}

void tst_ZipSink::abortDeletesTemporary()
{
    ZipSink sink(path(QStringLiteral("out.zip")), Recipe());
    QVERIFY(sink.start());
    FakeTask task;
    QVERIFY(sink.commit(sink.reserve(request(QStringLiteral("x.png"))), "payload", task.ctx).ok);
    sink.abort();
    QCOMPARE(listFiles(m_dir->path()), QStringList());
}

void tst_ZipSink::destructorAborts()
{
    {
        ZipSink sink(path(QStringLiteral("out.zip")), Recipe());
        QVERIFY(sink.start());
        FakeTask task;
        QVERIFY(sink.commit(sink.reserve(request(QStringLiteral("x.png"))), "p", task.ctx).ok);
    }
    QCOMPARE(listFiles(m_dir->path()), QStringList());
}

void tst_ZipSink::startFailsClearly()
{
    ZipSink sink(path(QStringLiteral("no/such/folder/out.zip")), Recipe());
    QString error;
    QVERIFY(!sink.start(&error));
    QVERIFY2(error.contains(QStringLiteral("cannot create the archive")), qPrintable(error));
    FakeTask task;
    const CommitResult result =
        sink.commit(sink.reserve(request(QStringLiteral("x.png"))), "p", task.ctx);
    QVERIFY(!result.ok);
    QVERIFY(!sink.finish());
}

void tst_ZipSink::duplicateNames_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("name");
    QTest::newRow("rename") << int(ConflictPolicy::Rename) << int(Reservation::Action::Write)
                            << "a (1).jpg";
    QTest::newRow("overwrite numbers too")
        << int(ConflictPolicy::Overwrite) << int(Reservation::Action::Write) << "a (1).jpg";
    QTest::newRow("skip") << int(ConflictPolicy::Skip) << int(Reservation::Action::SkipExists)
                          << "a.jpg";
}

void tst_ZipSink::duplicateNames()
{
    QFETCH(int, policy);
    QFETCH(int, action);
    QFETCH(QString, name);
    Recipe recipe;
    recipe.conflict = ConflictPolicy(policy);
    recipe.mirrorTree = false;
    ZipSink sink(path(QStringLiteral("out.zip")), recipe);
    QCOMPARE(sink.reserve(request(QStringLiteral("x/a.png"))).path, QStringLiteral("a.jpg"));
    const Reservation second = sink.reserve(request(QStringLiteral("y/a.png")));
    QCOMPARE(int(second.action), action);
    QCOMPARE(second.path, name);
}

void tst_ZipSink::manyWritersThroughSmallQueue()
{
    const QString zipPath = path(QStringLiteral("out.zip"));
    Recipe recipe;
    recipe.mirrorTree = false;
    ZipSink sink(zipPath, recipe, 1);
    QVERIFY(sink.start());
    constexpr int Threads = 4, PerThread = 25;
    std::atomic<int> ok{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < Threads; ++t) {
        workers.emplace_back([&, t] {
            FakeTask task;
            for (int i = 0; i < PerThread; ++i) {
                const Reservation r =
                    sink.reserve(request(QStringLiteral("t%1-%2.png").arg(t).arg(i)));
                ok += sink.commit(r, QByteArray(1000, char('a' + t)), task.ctx).ok;
            }
        });
    }
    for (auto &w : workers)
        w.join();
    QCOMPARE(ok.load(), Threads * PerThread);
    QVERIFY(sink.finish());
    QCOMPARE(zipEntryNames(zipPath).size(), Threads * PerThread);
    QCOMPARE(zipEntryData(zipPath, QStringLiteral("t2-7.jpg")), QByteArray(1000, 'c'));
}

void tst_ZipSink::canceledCommitIsNotWritten()
{
    const QString zipPath = path(QStringLiteral("out.zip"));
    ZipSink sink(zipPath, Recipe());
    QVERIFY(sink.start());
    FakeTask canceled;
    canceled.canceled = true;
    const CommitResult result =
        sink.commit(sink.reserve(request(QStringLiteral("x.png"))), "p", canceled.ctx);
    QVERIFY(result.canceled);
    QVERIFY(!result.ok);
    QVERIFY(sink.finish());
    QCOMPARE(zipEntryNames(zipPath), QStringList());
}

QTEST_GUILESS_MAIN(tst_ZipSink)
#include "tst_zipsink.moc"
