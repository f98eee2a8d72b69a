#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <batchplan.h>

using namespace sluice::app;

class tst_BatchPlan : public QObject
{
    Q_OBJECT
private slots:
    void outputPath_data();
    void outputPath();
    void batchNames();
    void retryZipNameIsFree();
};

void tst_BatchPlan::outputPath_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<bool>("zip");
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("expected");
    QTest::newRow("folder") << "photos" << true << false << ""
                            << "photos-sluice";
    QTest::newRow("folder to zip") << "photos" << true << true << ""
                                   << "photos-sluice.zip";
    QTest::newRow("archive") << "supplier.zip" << false << false << ""
                             << "supplier-sluice";
    QTest::newRow("single file") << "a.b.jpg" << false << false << ""
                                 << "a.b-sluice";
    QTest::newRow("chosen folder") << "photos" << true << false << "out"
                                   << "out/photos-sluice";
}

void tst_BatchPlan::outputPath()
{
    QFETCH(QString, input);
    QFETCH(bool, isDir);
    QFETCH(bool, zip);
    QFETCH(QString, folder);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(input);
    if (isDir)
        QVERIFY(QDir().mkpath(path));
    else
        QVERIFY(QFile(path).open(QIODevice::WriteOnly));
    const OutputChoice choice{zip, folder.isEmpty() ? QString() : dir.filePath(folder)};
    QCOMPARE(outputPathFor({path}, choice), dir.filePath(expected));
}

void tst_BatchPlan::batchNames()
{
    QCOMPARE(batchNameFor({QStringLiteral("/x/holiday/")}), QStringLiteral("holiday"));
    QCOMPARE(batchNameFor({QStringLiteral("/x/a"), QStringLiteral("/x/b"), QStringLiteral("/c")}),
             QStringLiteral("a + 2 more"));
}

void tst_BatchPlan::retryZipNameIsFree()
{
    QTemporaryDir dir;
    const QString zip = dir.filePath(QStringLiteral("out.zip"));
    QCOMPARE(retryZipPathFor(zip), dir.filePath(QStringLiteral("out-retry.zip")));
    QVERIFY(QFile(dir.filePath(QStringLiteral("out-retry.zip"))).open(QIODevice::WriteOnly));
    QCOMPARE(retryZipPathFor(zip), dir.filePath(QStringLiteral("out-retry-2.zip")));
}

QTEST_MAIN(tst_BatchPlan)
#include "tst_batchplan.moc"
