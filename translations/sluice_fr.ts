<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.ui" line="+6"/>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Batches</source>
        <translation>Lots</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The selected batch</source>
        <translation>Le lot sélectionné</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Items of the selected batch</source>
        <translation>Images du lot sélectionné</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recipe for the next drop</source>
        <translation>Recette pour les prochaines images</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Batch</source>
        <translation>&amp;Lot</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;All Batches</source>
        <translation>&amp;Tous les lots</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Batch actions</source>
        <translation>Actions sur les lots</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Pool</source>
        <translation>Traitement</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Add Images or Archives…</source>
        <translation>Ajouter des &amp;fichiers…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue image files or ZIP archives as a new batch</source>
        <translation>Mettre en file des images ou des archives ZIP comme nouveau lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;Folder…</source>
        <translation>Ajouter un &amp;dossier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue a folder of images as a new batch</source>
        <translation>Mettre en file un dossier d&apos;images comme nouveau lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit Sluice</source>
        <translation>Quitter Sluice</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Pause</source>
        <translation>&amp;Suspendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause the selected batch</source>
        <translation>Suspendre le lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume the selected batch</source>
        <translation>Reprendre le lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Cancel Batch</source>
        <translation>&amp;Annuler le lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel the selected batch</source>
        <translation>Annuler le lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority &amp;Up</source>
        <translation>Augmenter la &amp;priorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raise the selected batch&apos;s priority</source>
        <translation>Augmenter la priorité du lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Up</source>
        <translation>Ctrl+Up</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority &amp;Down</source>
        <translation>&amp;Baisser la priorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lower the selected batch&apos;s priority</source>
        <translation>Baisser la priorité du lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Down</source>
        <translation>Ctrl+Down</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retry &amp;Failed</source>
        <translation>Réessa&amp;yer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue the failed images of the selected batch again</source>
        <translation>Remettre en file les images en échec du lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open Output Folder</source>
        <translation>&amp;Ouvrir la sortie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the selected batch&apos;s output</source>
        <translation>Afficher la sortie du lot sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;move Finished Batch</source>
        <translation>Re&amp;tirer le lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected batch from the list</source>
        <translation>Retirer le lot sélectionné de la liste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pause &amp;All</source>
        <translation>Tout &amp;suspendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause every batch</source>
        <translation>Suspendre tous les lots</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resume A&amp;ll</source>
        <translation>Tout &amp;reprendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume every batch</source>
        <translation>Reprendre tous les lots</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel All</source>
        <translation>Tout &amp;annuler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel every batch</source>
        <translation>Annuler tous les lots</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+K</source>
        <translation>Ctrl+Shift+K</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/app/main.cpp" line="+34"/>
        <source>Batch image resizer and converter.</source>
        <translation>Redimensionnement et conversion d&apos;images par lots.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>User interface language: de, fr or en (default: the system&apos;s language).</source>
        <translation>Langue de l&apos;interface : de, fr ou en (par défaut : la langue du système).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folders, images or ZIP archives to queue.</source>
        <translation>Dossiers, images ou archives ZIP à mettre en file.</translation>
    </message>
</context>
<context>
    <name>sluice</name>
    <message>
        <location filename="../src/pool/pooltypes.cpp" line="+11"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing</source>
        <translation>Suspension…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Suspendu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceling</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Finished</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>done</source>
        <translation>terminée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>skipped</source>
        <translation>ignorée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>canceled</source>
        <translation>annulée</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>High</source>
        <translation>Haute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal</source>
        <translation>Normale</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low</source>
        <translation>Basse</translation>
    </message>
</context>
<context>
    <name>sluice::BatchRunner</name>
    <message>
        <location filename="../src/imaging/batchrunner.cpp" line="+50"/>
        <source>not an image</source>
        <translation>pas une image</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>up to date</source>
        <translation>à jour</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>output exists</source>
        <translation>la sortie existe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done in an earlier run</source>
        <translation>fait lors d’une exécution précédente</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>the pool takes no new batches</source>
        <translation>le pool n’accepte plus de lots</translation>
    </message>
    <message>
        <location line="+185"/>
        <source>the archive could not be written</source>
        <translation>l’archive n’a pas pu être écrite</translation>
    </message>
    <message>
        <location line="-259"/>
        <source>hidden</source>
        <translation>masqué</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sluice output</source>
        <translation>sortie de Sluice</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>link loop: the linked folder holds the link</source>
        <translation>boucle de lien : le dossier lié contient le lien</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>folder already scanned (reached twice through a link)</source>
        <translation>dossier déjà parcouru (atteint deux fois par un lien)</translation>
    </message>
</context>
<context>
    <name>sluice::DropArea</name>
    <message>
        <location filename="../src/app/droparea.cpp" line="+18"/>
        <source>Drop image folders, images or ZIP archives here</source>
        <translation>Déposez ici des dossiers d&apos;images, des images ou des archives ZIP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drop area</source>
        <translation>Zone de dépôt</translation>
    </message>
</context>
<context>
    <name>sluice::app::BatchManager</name>
    <message>
        <location filename="../src/app/batchmanager.cpp" line="+103"/>
        <source>%1 (retry)</source>
        <translation>%1 (nouvel essai)</translation>
    </message>
</context>
<context>
    <name>sluice::app::BatchModel</name>
    <message>
        <location filename="../src/app/batchmodel.cpp" line="+207"/>
        <source>Paused: %1 (free space, then Resume)</source>
        <translation>En pause : %1 (libérez de l&apos;espace, puis Reprendre)</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>%1 of %2+</source>
        <translation>%1 sur %2+</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Paused: disk full</source>
        <translation>En pause : disque plein</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1&#xa0;min %2&#xa0;s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1&#xa0;h %2&#xa0;min</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Batch</source>
        <translation>Lot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done</source>
        <translation>Terminées</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped</source>
        <translation>Ignorées</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images/s</source>
        <translation>Images/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ETA</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing</source>
        <translation>Suspension…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Suspendu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceling</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Finished</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Paused (all)</source>
        <translation>Suspendu (tous)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All batches are paused. Resume All (Ctrl+Shift+R) continues them.</source>
        <translation>Tous les lots sont suspendus. « Tout reprendre » (Ctrl+Maj+R) les relance.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>High</source>
        <translation>Haute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal</source>
        <translation>Normale</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low</source>
        <translation>Basse</translation>
    </message>
</context>
<context>
    <name>sluice::app::BatchPlan</name>
    <message numerus="yes">
        <location filename="../src/app/batchplan.cpp" line="+27"/>
        <source>%1 + %n more</source>
        <translation>
            <numerusform>%1 + %n autre</numerusform>
            <numerusform>%1 + %n autres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::app::CloseDialog</name>
    <message>
        <location filename="../src/app/closedialog.cpp" line="+15"/>
        <location line="+1"/>
        <source>Quit Sluice</source>
        <translation>Quitter Sluice</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n batch(es) still running.</source>
        <translation>
            <numerusform>%n lot encore en cours.</numerusform>
            <numerusform>%n lots encore en cours.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images being processed get up to %1 s to finish; after that they are canceled and leave no partial files. Images still queued are not lost: the next start of Sluice offers to resume their batches.</source>
        <translation>Les images en cours de traitement ont jusqu’à %1 s pour se terminer ; ensuite elles sont annulées et ne laissent aucun fichier partiel. Les images encore en attente ne sont pas perdues : au prochain démarrage, Sluice propose de reprendre leurs lots.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Wait and quit</source>
        <translation>&amp;Attendre et quitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keep the window open</source>
        <translation>&amp;Garder la fenêtre ouverte</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Stopping: running images are canceled in %n s.</source>
        <translation>
            <numerusform>Arrêt : les images en cours seront annulées dans %n&#xa0;s.</numerusform>
            <numerusform>Arrêt : les images en cours seront annulées dans %n&#xa0;s.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::app::ItemsModel</name>
    <message>
        <location filename="../src/app/itemsmodel.cpp" line="+85"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attempts</source>
        <translation>Essais</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output or reason</source>
        <translation>Sortie ou motif</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Done</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped</source>
        <translation>Ignorée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Annulée</translation>
    </message>
</context>
<context>
    <name>sluice::app::MainWindow</name>
    <message>
        <location filename="../src/app/mainwindow.cpp" line="+91"/>
        <source>, stopped unexpectedly</source>
        <translation>, arrêté de façon inattendue</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume unfinished batches?</source>
        <translation>Reprendre les lots inachevés ?</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>1 image done</source>
        <translation>1 image faite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 images done</source>
        <translation>%1 images faites</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2: %3%4, last run %5</source>
        <translation>%1 → %2 : %3%4, dernière exécution %5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A batch did not finish last time.</source>
        <translation>Un lot ne s&apos;est pas terminé la dernière fois.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 batches did not finish last time.</source>
        <translation>%1 lots ne se sont pas terminés la dernière fois.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume? What is already done is kept and not redone.</source>
        <translation>Reprendre ? Ce qui est déjà fait est conservé et n&apos;est pas refait.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Discard</source>
        <translation>&amp;Abandonner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Later</source>
        <translation>&amp;Plus tard</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot resume</source>
        <translation>Reprise impossible</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>%1: the archive could not be written: %2</source>
        <translation>%1 : l&apos;archive n&apos;a pas pu être écrite : %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Auto</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workers</source>
        <translation>Tâches parallèles</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> images/s</source>
        <translation> images/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlimited</source>
        <translation>Illimité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rate limit</source>
        <translation>Débit maximal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Workers:</source>
        <translation>Tâc&amp;hes parallèles&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> &amp;Rate limit:</source>
        <translation> Dé&amp;bit max.&#xa0;:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Overall progress</source>
        <translation>Progression globale</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%v of %m</source>
        <translation>%v sur %m</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Throughput</source>
        <translation>Débit</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Cannot queue the batch</source>
        <translation>Impossible de mettre le lot en file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The batch could not be created.</source>
        <translation>Le lot n&apos;a pas pu être créé.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add images or archives</source>
        <translation>Ajouter des images ou des archives</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images and ZIP archives (*.jpg *.jpeg *.png *.webp *.heic *.heif *.avif *.jxl *.bmp *.tif *.tiff *.gif *.zip);;All files (*)</source>
        <translation>Images et archives ZIP (*.jpg *.jpeg *.png *.webp *.heic *.heif *.avif *.jxl *.bmp *.tif *.tiff *.gif *.zip);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add a folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Cannot retry</source>
        <translation>Nouvel essai impossible</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Open Output Folder</source>
        <translation>Ouvrir le dossier de sortie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No file manager could open the output folder:
%1</source>
        <translation>Aucun gestionnaire de fichiers n’a pu ouvrir le dossier de sortie :
%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Copy Path</source>
        <translation>&amp;Copier le chemin</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Select a batch to see where its outputs go.</source>
        <translation>Sélectionnez un lot pour voir où vont ses sorties.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Output: %1</source>
        <translation>Sortie : %1</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>%1 images/s · %2 running · %3 queued · %4 workers</source>
        <translation>%1 images/s · %2 en cours · %3 en attente · %4 tâches parallèles</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Stopping…</source>
        <translation>Arrêt…</translation>
    </message>
</context>
<context>
    <name>sluice::app::PresetStore</name>
    <message>
        <location filename="../src/app/presetstore.cpp" line="+23"/>
        <source>Thumbnails 256</source>
        <translation>Vignettes 256</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Web 1600</source>
        <translation>Web 1600</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Web AVIF 1600</source>
        <translation>Web AVIF 1600</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Archive ZIP</source>
        <translation>Archive ZIP</translation>
    </message>
</context>
<context>
    <name>sluice::app::RecipePanel</name>
    <message>
        <location filename="../src/app/recipepanel.cpp" line="+41"/>
        <source>Recipe</source>
        <translation>Recette</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+204"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location line="-202"/>
        <source>Width</source>
        <translation>Largeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Height</source>
        <translation>Hauteur</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Keep the folder tree</source>
        <translation>Conser&amp;ver l&apos;arborescence</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sRGB: colours converted from the input&apos;s profile to what every viewer assumes. Keep: the input&apos;s profile, pixels unchanged. Strip: pixels unchanged, profile removed.</source>
        <translation>sRGB : couleurs converties du profil de l’entrée vers ce que tout afficheur suppose. Conserver : le profil de l’entrée, pixels inchangés. Retirer : pixels inchangés, profil retiré.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What of the input&apos;s EXIF, XMP, IPTC and comments goes into the outputs. Public leaves out the location, serial numbers, owner names, maker notes and edit history.</source>
        <translation>Ce qui, des données EXIF, XMP, IPTC et des commentaires de l’entrée, passe dans les sorties. « Publiques » omet le lieu, les numéros de série, les noms du propriétaire, les notes du fabricant et l’historique des modifications.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Preset:</source>
        <translation>&amp;Préréglage&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Size:</source>
        <translation>T&amp;aille&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Names:</source>
        <translation>&amp;Noms&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Co&amp;lours:</source>
        <translation>&amp;Couleurs&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Me&amp;tadata:</source>
        <translation>Méta&amp;données&#xa0;:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Preset</source>
        <translation>Préréglage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(not saved)</source>
        <translation>(non enregistré)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rena&amp;me…</source>
        <translation>Reno&amp;mmer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete</source>
        <translation>Supprim&amp;er</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Output kind</source>
        <translation>Type de sortie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ZIP archive</source>
        <translation>Archive ZIP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output location</source>
        <translation>Emplacement de sortie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beside the input</source>
        <translation>À côté de l&apos;entrée</translation>
    </message>
    <message>
        <location line="-90"/>
        <source>Enlar&amp;ge smaller images</source>
        <translation>Agrandir les petites &amp;images</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sharpen slightl&amp;y after reducing</source>
        <translation>Renforcer légèrement la netteté apr&amp;ès réduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A light unsharp mask after the image is made smaller: crisper small images. Enlarged images are left alone.</source>
        <translation>Un léger masque de netteté une fois l’image réduite : des petites images plus nettes. Les images agrandies restent telles quelles.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} input name, {ext} extension, {w} {h} output size, {n} number from 1, {n:4} zero-padded, {index} number from 0, {date} capture date, {date:yyyyMMdd_HHmmss} with a format, {camera} camera model</source>
        <translation>{name} nom de l’entrée, {ext} extension, {w} {h} taille de sortie, {n} numéro à partir de 1, {n:4} complété par des zéros, {index} numéro à partir de 0, {date} date de prise de vue, {date:yyyyMMdd_HHmmss} avec un format, {camera} modèle d’appareil</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>In&amp;clude hidden files (dot-files)</source>
        <translation>Inclure les fichiers cachés (commen&amp;çant par un point)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Resi&amp;ze:</source>
        <translation>&amp;Redimensionner&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>O&amp;utput:</source>
        <translation>&amp;Sortie&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If t&amp;he name is taken:</source>
        <translation>Si le nom e&amp;xiste&#xa0;:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Sa&amp;ve as…</source>
        <translation>Enre&amp;gistrer sous…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Brows&amp;e…</source>
        <translation>Parco&amp;urir…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fit inside the box</source>
        <translation>Tenir dans le cadre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill the box and crop</source>
        <translation>Remplir le cadre et rogner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exactly the box (stretch)</source>
        <translation>Exactement le cadre (étirer)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Long edge = width</source>
        <translation>Grand côté = largeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Short edge = width</source>
        <translation>Petit côté = largeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Percent (width)</source>
        <translation>Pourcentage (largeur)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the input&apos;s format</source>
        <translation>Garder le format d&apos;entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG</source>
        <translation>PNG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebP</source>
        <translation>WebP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AVIF</source>
        <translation>AVIF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JPEG XL</source>
        <translation>JPEG XL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename the new file</source>
        <translation>Renommer le nouveau fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite</source>
        <translation>Écraser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sRGB (converted)</source>
        <translation>sRGB (converti)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the input&apos;s profile</source>
        <translation>Conserver le profil de l’entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strip the profile</source>
        <translation>Retirer le profil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep all</source>
        <translation>Tout conserver</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public only (no location, no serials)</source>
        <translation>Publiques seulement (sans lieu ni numéros de série)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <location line="+74"/>
        <source> %</source>
        <translation>&#xa0;%</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not a token Sluice knows: %1. Use {name}, {ext}, {w}, {h}, {n}, {n:4}, {index}, {date}, {date:yyyy-MM-dd} or {camera}.</source>
        <translation>Jeton inconnu de Sluice : %1. Utilisez {name}, {ext}, {w}, {h}, {n}, {n:4}, {index}, {date}, {date:yyyy-MM-dd} ou {camera}.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Save preset</source>
        <translation>Enregistrer le préréglage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Preset name:</source>
        <translation>Nom du préréglage&#xa0;:</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+4"/>
        <source>Rename preset</source>
        <translation>Renommer le préréglage</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>New name:</source>
        <translation>Nouveau nom&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A preset named &quot;%1&quot; exists already, or the name is empty.</source>
        <translation>Un préréglage nommé «&#xa0;%1&#xa0;» existe déjà, ou le nom est vide.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Delete preset</source>
        <translation>Supprimer le préréglage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the preset &quot;%1&quot;?</source>
        <translation>Supprimer le préréglage «&#xa0;%1&#xa0;»&#xa0;?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <location line="-273"/>
        <source>Keep the &amp;input dates</source>
        <translation>Conserver les dates des images d’entr&amp;ée</translation>
    </message>
</context>
<context>
    <name>sluice::app::ThroughputGraph</name>
    <message>
        <location filename="../src/app/throughputgraph.cpp" line="+42"/>
        <location line="+172"/>
        <source>Throughput graph</source>
        <translation>Graphique du débit</translation>
    </message>
    <message>
        <location line="-171"/>
        <location line="+172"/>
        <source>Images per second over the last minute</source>
        <translation>Images par seconde sur la dernière minute</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>%1 /s</source>
        <extracomment>Top of the throughput graph&apos;s axis, in images per second; keep it short</extracomment>
        <translation>%1 /s</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>%1 images/s</source>
        <translation>%1 images/s</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No images processed in the last minute</source>
        <translation>Aucune image traitée au cours de la dernière minute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Now %1 images/s, at most %2 images/s in the last minute</source>
        <translation>Actuellement %1 images/s, au plus %2 images/s sur la dernière minute</translation>
    </message>
</context>
</TS>
