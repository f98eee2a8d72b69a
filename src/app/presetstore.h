// Named recipe presets and the recipe in use, kept in a QSettings. The built-in presets
// ("Thumbnails 256", "Web 1600", "Archive ZIP") are written the first time; after that they
// are ordinary presets the user may rename or delete. Not thread-safe: GUI thread only.
#pragma once

#include "batchplan.h"

#include <QList>
#include <QStringList>
#include <optional>

class QSettings;

namespace sluice::app {

struct Preset
{
    QString name;
    RecipeSettings settings;
};

class PresetStore
{
public:
    explicit PresetStore(QSettings &settings); // not owned; must outlive the store

    QStringList names() const; // in the order they were added
    std::optional<Preset> preset(const QString &name) const;
    // Adds a preset, or replaces the one with the same name. False for an empty name.
    bool save(const Preset &preset);
    // False when `from` is missing, or `to` is empty or taken by another preset.
    bool rename(const QString &from, const QString &to);
    bool remove(const QString &name);

    // The recipe in use, remembered between runs (the first built-in preset's at first).
    RecipeSettings current() const;
    void setCurrent(const RecipeSettings &settings);

    static QList<Preset> builtIns();

private:
    QList<Preset> load() const;
    void store(const QList<Preset> &presets);

    QSettings &m_settings;
};

void writeRecipeSettings(QSettings &settings, const RecipeSettings &recipe);
RecipeSettings readRecipeSettings(const QSettings &settings);

} // namespace sluice::app
