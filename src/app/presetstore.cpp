#include "presetstore.h"

#include <QCoreApplication>
#include <QSettings>

namespace sluice::app {

namespace {

const QString PresetsKey = QStringLiteral("presets");
const QString CurrentKey = QStringLiteral("recipe");
// Set once the presets were first written, so deleting every preset does not bring back the
// built-in ones.
const QString InitializedKey = QStringLiteral("presetsInitialized");

QString translatedName(const char *name)
{
    return QCoreApplication::translate("sluice::app::PresetStore", name);
}

Preset thumbnails()
{
    Preset p{translatedName(QT_TRANSLATE_NOOP("sluice::app::PresetStore", "Thumbnails 256")), {}};
    p.settings.recipe.targetSize = QSize(256, 256);
    p.settings.recipe.mode = ResizeMode::Fit;
    p.settings.recipe.format = OutputFormat::Jpeg;
    p.settings.recipe.quality = 80;
    p.settings.recipe.metadata = MetadataPolicy::None; // metadata can outweigh a thumbnail
    return p;
}

Preset web()
{
    Preset p{translatedName(QT_TRANSLATE_NOOP("sluice::app::PresetStore", "Web 1600")), {}};
    p.settings.recipe.targetSize = QSize(1600, 1600);
    p.settings.recipe.mode = ResizeMode::LongEdge;
    p.settings.recipe.format = OutputFormat::Jpeg;
    p.settings.recipe.quality = 85;
    p.settings.recipe.progressive = true;
    p.settings.recipe.metadata = MetadataPolicy::Public; // published: no location, no serials
    return p;
}

Preset webAvif()
{
    Preset p{translatedName(QT_TRANSLATE_NOOP("sluice::app::PresetStore", "Web AVIF 1600")), {}};
    p.settings.recipe.targetSize = QSize(1600, 1600);
    p.settings.recipe.mode = ResizeMode::LongEdge;
    p.settings.recipe.format = OutputFormat::Avif;
    p.settings.recipe.quality = 60; // 0.6-1.2 dB below JPEG q85 at a quarter of the size
    p.settings.recipe.metadata = MetadataPolicy::Public;
    return p;
}

Preset archive()
{
    Preset p{translatedName(QT_TRANSLATE_NOOP("sluice::app::PresetStore", "Archive ZIP")), {}};
    p.settings.recipe.targetSize = QSize(1200, 1200);
    p.settings.recipe.mode = ResizeMode::Fit;
    p.settings.recipe.format = OutputFormat::Jpeg;
    p.settings.recipe.quality = 90;
    p.settings.output.zip = true;
    p.settings.recipe.metadata = MetadataPolicy::Keep;
    return p;
}

int indexOf(const QList<Preset> &presets, const QString &name)
{
    for (int i = 0; i < presets.size(); ++i) {
        if (presets[i].name == name)
            return i;
    }
    return -1;
}

} // namespace

void writeRecipeSettings(QSettings &s, const RecipeSettings &settings)
{
    const Recipe &r = settings.recipe;
    s.setValue(QStringLiteral("width"), r.targetSize.width());
    s.setValue(QStringLiteral("height"), r.targetSize.height());
    s.setValue(QStringLiteral("mode"), toString(r.mode));
    s.setValue(QStringLiteral("upscale"), r.upscale);
    s.setValue(QStringLiteral("format"), toString(r.format));
    s.setValue(QStringLiteral("quality"), r.quality);
    s.setValue(QStringLiteral("progressive"), r.progressive);
    s.setValue(QStringLiteral("nameTemplate"), r.nameTemplate);
    s.setValue(QStringLiteral("conflict"), toString(r.conflict));
    s.setValue(QStringLiteral("mirrorTree"), r.mirrorTree);
    s.setValue(QStringLiteral("keepDates"), r.keepDates);
    s.setValue(QStringLiteral("pngCompression"), r.pngCompression);
    s.setValue(QStringLiteral("lossless"), r.lossless);
    s.setValue(QStringLiteral("effort"), r.effort);
    s.setValue(QStringLiteral("sharpen"), r.sharpen);
    s.setValue(QStringLiteral("metadata"), toString(r.metadata));
    s.setValue(QStringLiteral("colour"), toString(r.colour));
    s.setValue(QStringLiteral("zip"), settings.output.zip);
    s.setValue(QStringLiteral("hidden"), settings.includeHidden);
    s.setValue(QStringLiteral("outputFolder"), settings.output.folder);
}

// Missing or unreadable values keep the Recipe defaults.
RecipeSettings readRecipeSettings(const QSettings &s)
{
    RecipeSettings settings;
    Recipe &r = settings.recipe;
    const auto text = [&s](const char *key) {
        return s.value(QLatin1String(key)).toString();
    };
    r.targetSize = QSize(s.value(QStringLiteral("width"), r.targetSize.width()).toInt(),
                         s.value(QStringLiteral("height"), r.targetSize.height()).toInt());
    r.mode = parseResizeMode(text("mode")).value_or(r.mode);
    r.upscale = s.value(QStringLiteral("upscale"), r.upscale).toBool();
    r.format = parseOutputFormat(text("format")).value_or(r.format);
    r.quality = qBound(0, s.value(QStringLiteral("quality"), r.quality).toInt(), 100);
    r.progressive = s.value(QStringLiteral("progressive"), r.progressive).toBool();
    r.nameTemplate = s.value(QStringLiteral("nameTemplate"), r.nameTemplate).toString();
    r.conflict = parseConflictPolicy(text("conflict")).value_or(r.conflict);
    r.mirrorTree = s.value(QStringLiteral("mirrorTree"), r.mirrorTree).toBool();
    r.keepDates = s.value(QStringLiteral("keepDates"), r.keepDates).toBool();
    r.pngCompression = s.value(QStringLiteral("pngCompression"), r.pngCompression).toInt();
    r.lossless = s.value(QStringLiteral("lossless"), r.lossless).toBool();
    r.effort = qBound(0, s.value(QStringLiteral("effort"), r.effort).toInt(), 9);
    r.sharpen = s.value(QStringLiteral("sharpen"), r.sharpen).toBool();
    r.metadata = parseMetadataPolicy(text("metadata")).value_or(r.metadata);
    r.colour = parseColourPolicy(text("colour")).value_or(r.colour);
    settings.output.zip = s.value(QStringLiteral("zip"), false).toBool();
    settings.includeHidden = s.value(QStringLiteral("hidden"), false).toBool();
    settings.output.folder = text("outputFolder");
    return settings;
}

PresetStore::PresetStore(QSettings &settings)
    : m_settings(settings)
{
    if (!m_settings.value(InitializedKey).toBool())
        store(builtIns());
}

QList<Preset> PresetStore::builtIns()
{
    return {thumbnails(), web(), webAvif(), archive()};
}

QStringList PresetStore::names() const
{
    QStringList names;
    for (const Preset &p : load())
        names << p.name;
    return names;
}

std::optional<Preset> PresetStore::preset(const QString &name) const
{
    const QList<Preset> presets = load();
    const int i = indexOf(presets, name);
    return i < 0 ? std::nullopt : std::optional<Preset>(presets[i]);
}

bool PresetStore::save(const Preset &preset)
{
    if (preset.name.trimmed().isEmpty())
        return false;
    QList<Preset> presets = load();
    const int i = indexOf(presets, preset.name);
    if (i < 0)
        presets.append(preset);
    else
        presets[i] = preset;
    store(presets);
    return true;
}

bool PresetStore::rename(const QString &from, const QString &to)
{
    QList<Preset> presets = load();
    const int i = indexOf(presets, from);
    if (i < 0 || to.trimmed().isEmpty() || (to != from && indexOf(presets, to) >= 0))
        return false;
    presets[i].name = to;
    store(presets);
    return true;
}

bool PresetStore::remove(const QString &name)
{
    QList<Preset> presets = load();
    const int i = indexOf(presets, name);
    if (i < 0)
        return false;
    presets.removeAt(i);
    store(presets);
    return true;
}

RecipeSettings PresetStore::current() const
{
    if (!m_settings.childGroups().contains(CurrentKey))
        return builtIns().first().settings;
    m_settings.beginGroup(CurrentKey);
    const RecipeSettings settings = readRecipeSettings(m_settings);
    m_settings.endGroup();
    return settings;
}

void PresetStore::setCurrent(const RecipeSettings &settings)
{
    m_settings.beginGroup(CurrentKey);
    writeRecipeSettings(m_settings, settings);
    m_settings.endGroup();
}

QList<Preset> PresetStore::load() const
{
    QList<Preset> presets;
    const int count = m_settings.beginReadArray(PresetsKey);
    const QList<Preset> builtIn = builtIns();
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        Preset preset{m_settings.value(QStringLiteral("name")).toString(),
                      readRecipeSettings(m_settings)};
        // Built-in presets stored by a version without the metadata choice get theirs.
        const int j = indexOf(builtIn, preset.name);
        if (j >= 0 && !m_settings.contains(QStringLiteral("metadata")))
            preset.settings.recipe.metadata = builtIn[j].settings.recipe.metadata;
        presets.append(preset);
    }
    m_settings.endArray();
    return presets;
}

void PresetStore::store(const QList<Preset> &presets)
{
    m_settings.remove(PresetsKey);
    m_settings.beginWriteArray(PresetsKey, int(presets.size()));
    for (int i = 0; i < presets.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(QStringLiteral("name"), presets[i].name);
        writeRecipeSettings(m_settings, presets[i].settings);
    }
    m_settings.endArray();
    m_settings.setValue(InitializedKey, true);
}

} // namespace sluice::app
