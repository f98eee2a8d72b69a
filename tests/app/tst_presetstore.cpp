#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <presetstore.h>

using namespace sluice;
using namespace sluice::app;

class tst_PresetStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void builtInsOnFirstUse();
    void olderBuiltInsGetTheirMetadataChoice();
    void savedRenamedAndReloaded();
    void renameRefusesTakenOrEmptyNames();
    void deletedPresetsStayDeleted();
    void currentRecipeRoundTrips();

private:
    QString iniPath() const { return m_dir.filePath(QStringLiteral("sluice.ini")); }
    QTemporaryDir m_dir;
};

void tst_PresetStore::builtInsOnFirstUse()
{
    QSettings settings(m_dir.filePath(QStringLiteral("first.ini")), QSettings::IniFormat);
    PresetStore store(settings);
    QCOMPARE(store.names(),
             QStringList({QStringLiteral("Thumbnails 256"), QStringLiteral("Web 1600"),
                          QStringLiteral("Web AVIF 1600"), QStringLiteral("Archive ZIP")}));
    QCOMPARE(int(store.preset(QStringLiteral("Web AVIF 1600"))->settings.recipe.format),
             int(OutputFormat::Avif));
    QCOMPARE(store.preset(QStringLiteral("Thumbnails 256"))->settings.recipe.targetSize,
             QSize(256, 256));
    QVERIFY(store.preset(QStringLiteral("Archive ZIP"))->settings.output.zip);
    QVERIFY(!store.preset(QStringLiteral("nope")));
    // Metadata: none in thumbnails (it can outweigh them), public on the web, all in archives.
    const auto metadataOf = [&store](const char *name) {
        return int(store.preset(QLatin1String(name))->settings.recipe.metadata);
    };
    QCOMPARE(metadataOf("Thumbnails 256"), int(MetadataPolicy::None));
    QCOMPARE(metadataOf("Web 1600"), int(MetadataPolicy::Public));
    QCOMPARE(metadataOf("Archive ZIP"), int(MetadataPolicy::Keep));
}

// Built-in presets stored by a version without the metadata choice get the built-in's choice;
// presets of the user's own get the default (keep).
void tst_PresetStore::olderBuiltInsGetTheirMetadataChoice()
{
    const QString path = m_dir.filePath(QStringLiteral("older.ini"));
    {
        QSettings settings(path, QSettings::IniFormat);
        PresetStore store(settings);
        Preset mine{QStringLiteral("Mine"), {}};
        mine.settings.recipe.metadata = MetadataPolicy::None;
        QVERIFY(store.save(mine));
        const int count = settings.beginReadArray(QStringLiteral("presets"));
        QCOMPARE(count, 5);
        settings.endArray();
        settings.beginWriteArray(QStringLiteral("presets"), count);
        for (int i = 0; i < count; ++i) {
            settings.setArrayIndex(i);
            settings.remove(QStringLiteral("metadata"));
        }
        settings.endArray();
    }
    QSettings settings(path, QSettings::IniFormat);
    PresetStore store(settings);
    QCOMPARE(int(store.preset(QStringLiteral("Thumbnails 256"))->settings.recipe.metadata),
             int(MetadataPolicy::None));
    QCOMPARE(int(store.preset(QStringLiteral("Web 1600"))->settings.recipe.metadata),
             int(MetadataPolicy::Public));
    QCOMPARE(int(store.preset(QStringLiteral("Mine"))->settings.recipe.metadata),
             int(MetadataPolicy::Keep));
}

void tst_PresetStore::savedRenamedAndReloaded()
{
    Preset mine{QStringLiteral("Square 512"), {}};
    mine.settings.recipe.targetSize = QSize(512, 512);
    mine.settings.recipe.mode = ResizeMode::Fill;
    mine.settings.recipe.format = OutputFormat::Webp;
    mine.settings.recipe.quality = 70;
    mine.settings.recipe.nameTemplate = QStringLiteral("{name}_{w}.{ext}");
    mine.settings.recipe.conflict = ConflictPolicy::Skip;
    mine.settings.recipe.mirrorTree = false;
    mine.settings.recipe.metadata = MetadataPolicy::Public;
    mine.settings.output.folder = QStringLiteral("/tmp/out");
    {
        QSettings settings(iniPath(), QSettings::IniFormat);
        PresetStore store(settings);
        QVERIFY(store.save(mine));
        QVERIFY(store.rename(QStringLiteral("Square 512"), QStringLiteral("Squares")));
    }
    QSettings reread(iniPath(), QSettings::IniFormat);
    PresetStore store(reread);
    QVERIFY(!store.preset(QStringLiteral("Square 512")));
    const std::optional<Preset> loaded = store.preset(QStringLiteral("Squares"));
    QVERIFY(loaded);
    const Recipe &r = loaded->settings.recipe;
    QCOMPARE(r.targetSize, QSize(512, 512));
    QCOMPARE(int(r.mode), int(ResizeMode::Fill));
    QCOMPARE(int(r.format), int(OutputFormat::Webp));
    QCOMPARE(r.quality, 70);
    QCOMPARE(r.nameTemplate, QStringLiteral("{name}_{w}.{ext}"));
    QCOMPARE(int(r.conflict), int(ConflictPolicy::Skip));
    QCOMPARE(r.mirrorTree, false);
    QCOMPARE(int(r.metadata), int(MetadataPolicy::Public));
    QCOMPARE(loaded->settings.output.folder, QStringLiteral("/tmp/out"));
    QCOMPARE(store.names().last(), QStringLiteral("Squares"));
}

void tst_PresetStore::renameRefusesTakenOrEmptyNames()
{
    QSettings settings(m_dir.filePath(QStringLiteral("rename.ini")), QSettings::IniFormat);
    PresetStore store(settings);
    QVERIFY(!store.rename(QStringLiteral("Web 1600"), QStringLiteral("Archive ZIP")));
    QVERIFY(!store.rename(QStringLiteral("Web 1600"), QStringLiteral("  ")));
    QVERIFY(!store.rename(QStringLiteral("missing"), QStringLiteral("x")));
    QVERIFY(store.rename(QStringLiteral("Web 1600"), QStringLiteral("Web")));
    QCOMPARE(store.names().at(1), QStringLiteral("Web"));
}

void tst_PresetStore::deletedPresetsStayDeleted()
{
    const QString path = m_dir.filePath(QStringLiteral("delete.ini"));
    {
        QSettings settings(path, QSettings::IniFormat);
        PresetStore store(settings);
        for (const QString &name : store.names())
            QVERIFY(store.remove(name));
        QVERIFY(!store.remove(QStringLiteral("Web 1600")));
    }
    QSettings settings(path, QSettings::IniFormat);
    PresetStore store(settings);
    QVERIFY(store.names().isEmpty());
}

void tst_PresetStore::currentRecipeRoundTrips()
{
    const QString path = m_dir.filePath(QStringLiteral("current.ini"));
    RecipeSettings current;
    current.recipe.targetSize = QSize(800, 600);
    current.recipe.upscale = true;
    current.recipe.progressive = true;
    current.recipe.sharpen = true;
    current.output.zip = true;
    {
        QSettings settings(path, QSettings::IniFormat);
        PresetStore store(settings);
        QCOMPARE(store.current().recipe.targetSize, QSize(256, 256)); // the first built-in
        store.setCurrent(current);
    }
    QSettings settings(path, QSettings::IniFormat);
    const RecipeSettings loaded = PresetStore(settings).current();
    QCOMPARE(loaded.recipe.targetSize, QSize(800, 600));
    QVERIFY(loaded.recipe.upscale);
    QVERIFY(loaded.recipe.progressive);
    QVERIFY(loaded.recipe.sharpen);
    QVERIFY(loaded.output.zip);
}

QTEST_MAIN(tst_PresetStore)
#include "tst_presetstore.moc"
