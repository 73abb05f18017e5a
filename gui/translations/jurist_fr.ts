<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>App</name>
    <message>
        <source>Something went wrong</source>
        <translation>Une erreur s&apos;est produite</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <source>not in the ruleset</source>
        <translation>absente du jeu de règles</translation>
    </message>
    <message>
        <source>Check the decision&apos;s &amp;obligations: exactly these</source>
        <translation>Vérifier les &amp;obligations de la décision : exactement celles-ci</translation>
    </message>
    <message>
        <source>none; or e.g. mark &quot;ai-generated&quot;; disclose &quot;deepfake&quot;</source>
        <translation>aucune ; ou par ex. mark &quot;ai-generated&quot;; disclose &quot;deepfake&quot;</translation>
    </message>
    <message>
        <source>What the caller must do with an output the decision lets through. Kinds: {kinds}</source>
        <translation>Ce que l&apos;appelant doit faire d&apos;une image que la décision laisse passer. Types : {kinds}</translation>
    </message>
    <message>
        <source>optional, e.g. minors</source>
        <translation>facultatif, par ex. minors</translation>
    </message>
    <message>
        <source>The seed policy this case proves (rulesets/policies.toml); the rulesets report counts it for that policy, moment and place</source>
        <translation>La politique de référence que ce cas prouve (rulesets/policies.toml) ; le rapport des règles le compte pour cette politique, ce moment et ce lieu</translation>
    </message>
    <message>
        <source>Use the &amp;simulator&apos;s request</source>
        <translation>Reprendre la requête du &amp;simulateur</translation>
    </message>
    <message>
        <source>The case is saved to the ruleset&apos;s working set at once (audited). A version keeps the cases it was submitted with: submit again for a change to count in review and at publication.</source>
        <translation>Le cas est enregistré aussitôt dans l&apos;ensemble de travail du jeu de règles (journalisé). Une version garde les cas avec lesquels elle a été soumise : soumettez à nouveau pour qu&apos;un changement compte à la revue et à la publication.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Expected effect:</source>
        <translation>&amp;Effet attendu :</translation>
    </message>
    <message>
        <source>Rules that must &amp;fire:</source>
        <translation>Règles qui doivent s&apos;&amp;appliquer :</translation>
    </message>
    <message>
        <source>Rules that must &amp;not fire:</source>
        <translation>Règles qui ne doivent &amp;pas s&apos;appliquer :</translation>
    </message>
    <message>
        <source>Obligations:</source>
        <translation>Obligations :</translation>
    </message>
    <message>
        <source>Seed &amp;policy:</source>
        <translation>&amp;Politique :</translation>
    </message>
    <message>
        <source>&amp;Request (JSON):</source>
        <translation>&amp;Requête (JSON) :</translation>
    </message>
    <message>
        <source>the request must be a JSON object, such as {&quot;country&quot;: &quot;GB&quot;}</source>
        <translation>la requête doit être un objet JSON, par exemple {&quot;country&quot;: &quot;GB&quot;}</translation>
    </message>
    <message>
        <source>the request is not JSON: {error}</source>
        <translation>la requête n&apos;est pas du JSON : {error}</translation>
    </message>
    <message>
        <source>the case needs a name</source>
        <translation>le cas doit avoir un nom</translation>
    </message>
</context>
<context>
    <name>Cases</name>
    <message>
        <source>not run</source>
        <translation>non exécuté</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>rules before: {before}
rules after: {after}</source>
        <translation>règles avant : {before}
règles après : {after}</translation>
    </message>
</context>
<context>
    <name>CasesPanel</name>
    <message>
        <source>&amp;Run all</source>
        <translation>&amp;Tout exécuter</translation>
    </message>
    <message>
        <source>Run every case against the editor&apos;s text</source>
        <translation>Exécuter chaque cas sur le texte de l&apos;éditeur</translation>
    </message>
    <message>
        <source>Com&amp;pare with published</source>
        <translation>Com&amp;parer avec la version publiée</translation>
    </message>
    <message>
        <source>Which cases the editor&apos;s text decides differently from the published version</source>
        <translation>Les cas que le texte de l&apos;éditeur décide autrement que la version publiée</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>D&amp;upliquer</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Running the cases failed</source>
        <translation>L&apos;exécution des cas a échoué</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>all cases</source>
        <translation>tous les cas</translation>
    </message>
    <message>
        <source>failed in the last run</source>
        <translation>en échec à la dernière exécution</translation>
    </message>
    <message>
        <source>changed against published</source>
        <translation>changés par rapport à la version publiée</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>A&amp;fficher :</translation>
    </message>
    <message>
        <source>Recent runs</source>
        <translation>Exécutions récentes</translation>
    </message>
    <message>
        <source>Could not list test cases</source>
        <translation>Impossible de lister les cas de test</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n cas</numerusform>
            <numerusform>%n cas</numerusform>
        </translation>
    </message>
    <message>
        <source>{passed} passed · {failed} failed · </source>
        <translation>{passed} réussi(s) · {failed} en échec · </translation>
    </message>
    <message>
        <source> · {n} shown</source>
        <translation> · {n} affiché(s)</translation>
    </message>
    <message>
        <source>Recent runs: cannot list them ({error})</source>
        <translation>Exécutions récentes : impossible de les lister ({error})</translation>
    </message>
    <message>
        <source>Recent runs: none recorded yet</source>
        <translation>Exécutions récentes : aucune enregistrée pour l&apos;instant</translation>
    </message>
    <message>
        <source>Open a ruleset to see its cases.</source>
        <translation>Ouvrez un jeu de règles pour voir ses cas.</translation>
    </message>
    <message>
        <source>Adding, editing and deleting cases needs the editor role; your role is {role}.</source>
        <translation>Ajouter, modifier et supprimer des cas demande le rôle rédacteur ; votre rôle : {role}.</translation>
    </message>
    <message>
        <source>Select a case to edit, duplicate or delete it (Enter edits).</source>
        <translation>Sélectionnez un cas pour le modifier, le dupliquer ou le supprimer (Entrée le modifie).</translation>
    </message>
    <message>
        <source>Cannot run the cases</source>
        <translation>Impossible d&apos;exécuter les cas</translation>
    </message>
    <message>
        <source>running cases…</source>
        <translation>exécution des cas…</translation>
    </message>
    <message>
        <source>no stored version is open</source>
        <translation>aucune version enregistrée n&apos;est ouverte</translation>
    </message>
    <message>
        <source>unsaved changes</source>
        <translation>modifications non enregistrées</translation>
    </message>
    <message>
        <source>cases: {passed} passed, {failed} failed; {note}</source>
        <translation>cas : {passed} réussi(s), {failed} en échec ; {note}</translation>
    </message>
    <message>
        <source>not recorded: {why}</source>
        <translation>non enregistré : {why}</translation>
    </message>
    <message>
        <source>recorded against {label}</source>
        <translation>enregistré pour {label}</translation>
    </message>
    <message>
        <source>The published version does not compile</source>
        <translation>La version publiée ne compile pas</translation>
    </message>
    <message>
        <source>Nothing to compare with</source>
        <translation>Rien à comparer</translation>
    </message>
    <message>
        <source>This ruleset has no published version yet.</source>
        <translation>Ce jeu de règles n&apos;a pas encore de version publiée.</translation>
    </message>
    <message>
        <source>{n} case(s) change decision or rules against {origin}</source>
        <translation>{n} cas changent de décision ou de règles par rapport à {origin}</translation>
    </message>
    <message>
        <source>comparing with published…</source>
        <translation>comparaison avec la version publiée…</translation>
    </message>
    <message>
        <source>Add a test case</source>
        <translation>Ajouter un cas de test</translation>
    </message>
    <message>
        <source>Edit test case</source>
        <translation>Modifier le cas de test</translation>
    </message>
    <message>
        <source>Could not save the case</source>
        <translation>Impossible d&apos;enregistrer le cas</translation>
    </message>
    <message>
        <source>saved test case `{name}`</source>
        <translation>cas de test `{name}` enregistré</translation>
    </message>
    <message>
        <source>Could not duplicate the case</source>
        <translation>Impossible de dupliquer le cas</translation>
    </message>
    <message>
        <source>duplicated as `{name}`</source>
        <translation>dupliqué sous le nom `{name}`</translation>
    </message>
    <message>
        <source>Delete test case</source>
        <translation>Supprimer le cas de test</translation>
    </message>
    <message>
        <source>Delete `{name}`?</source>
        <translation>Supprimer `{name}` ?</translation>
    </message>
    <message>
        <source>Could not delete</source>
        <translation>Suppression impossible</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Detector</source>
        <translation>Détecteur</translation>
    </message>
    <message>
        <source>Time (ms)</source>
        <translation>Durée (ms)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Étape</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Saw</source>
        <translation>Valeur vue</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Décision</translation>
    </message>
    <message>
        <source>Deciding rule</source>
        <translation>Règle décisive</translation>
    </message>
    <message>
        <source>Citation</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Author(s)</source>
        <translation>Auteur(s)</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>Approuvé par</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Soumis</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>Publié</translation>
    </message>
    <message>
        <source>Based on</source>
        <translation>Issu de</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Empreinte</translation>
    </message>
    <message>
        <source>#</source>
        <translation>n°</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Attendu</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>Obtenu</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <source>Draft vs published</source>
        <translation>Brouillon / publié</translation>
    </message>
    <message>
        <source>Rules expected</source>
        <translation>Règles attendues</translation>
    </message>
    <message>
        <source>Must not fire</source>
        <translation>Ne doit pas s&apos;appliquer</translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation>Modifié par</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Réussis</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Depuis</translation>
    </message>
    <message>
        <source>Effect</source>
        <translation>Effet</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>Applies</source>
        <translation>S&apos;applique</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>En vigueur</translation>
    </message>
</context>
<context>
    <name>Countries</name>
    <message>
        <source>from {start} until {end}</source>
        <translation>du {start} au {end}</translation>
    </message>
    <message>
        <source>from {start}</source>
        <translation>à partir du {start}</translation>
    </message>
    <message>
        <source>until {end}</source>
        <translation>jusqu&apos;au {end}</translation>
    </message>
</context>
<context>
    <name>CountryPanel</name>
    <message>
        <source>(choose a country)</source>
        <translation>(choisissez un pays)</translation>
    </message>
    <message>
        <source>&amp;Country:</source>
        <translation>&amp;Pays :</translation>
    </message>
    <message>
        <source>&amp;Add a rule for this country</source>
        <translation>&amp;Ajouter une règle pour ce pays</translation>
    </message>
    <message>
        <source>Opens the country&apos;s file (made if there is none) with a new rule to fill in; save to keep it</source>
        <translation>Ouvre le fichier du pays (créé s&apos;il n&apos;existe pas) avec une nouvelle règle à compléter ; enregistrez pour la garder</translation>
    </message>
    <message>
        <source>Choose a country to see its rules and to add one.</source>
        <translation>Choisissez un pays pour voir ses règles et en ajouter une.</translation>
    </message>
    <message>
        <source>Open a ruleset first.</source>
        <translation>Ouvrez d&apos;abord un jeu de règles.</translation>
    </message>
    <message>
        <source>The editor&apos;s text has errors: fix them to list the rules that apply.</source>
        <translation>Le texte de l&apos;éditeur contient des erreurs : corrigez-les pour lister les règles applicables.</translation>
    </message>
    <message>
        <source>{n} rule(s) can apply in {country}: {local} of its own (or of a set or region holding it) and {everywhere} that apply everywhere. Enter opens a rule in the editor.</source>
        <translation>{n} règle(s) peuvent s&apos;appliquer pour le pays {country} : {local} qui lui sont propres (ou à un ensemble ou une région qui le contient) et {everywhere} qui s&apos;appliquent partout. Entrée ouvre une règle dans l&apos;éditeur.</translation>
    </message>
    <message>
        <source>added rule {rule} to {file}: fill it in, then save</source>
        <translation>règle {rule} ajoutée à {file} : complétez-la, puis enregistrez</translation>
    </message>
</context>
<context>
    <name>EditorPanel</name>
    <message>
        <source>The file shown; the rulesets panel lists them by place</source>
        <translation>Le fichier affiché ; le panneau des jeux de règles les range par lieu</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undo the last edit of this file (Ctrl+Z)</source>
        <translation>Annuler la dernière modification de ce fichier (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>Rétablir (Ctrl+Maj+Z)</translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation>Enregistrer comme brouillon</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Enregistrer (Ctrl+S)</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier :</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <source>Problems: {errors} error(s), {warnings} warning(s) — checked in {ms} ms</source>
        <translation>Problèmes : {errors} erreur(s), {warnings} avertissement(s) — vérifié en {ms} ms</translation>
    </message>
    <message>
        <source>no errors</source>
        <translation>aucune erreur</translation>
    </message>
    <message>
        <source>{n} error(s)</source>
        <translation>{n} erreur(s)</translation>
    </message>
    <message>
        <source> · unsaved changes</source>
        <translation> · modifications non enregistrées</translation>
    </message>
    <message>
        <source>{label} has been saved {n} time(s). A save is refused if someone else saved in between, so nobody&apos;s edits are overwritten.</source>
        <translation>{label} a été enregistré {n} fois. Un enregistrement est refusé si quelqu&apos;un d&apos;autre a enregistré entre-temps : personne ne perd ses modifications.</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>Enregistrer le brouillon</translation>
    </message>
    <message>
        <source>Save as new draft</source>
        <translation>Enregistrer comme nouveau brouillon</translation>
    </message>
    <message>
        <source>Someone else saved first</source>
        <translation>Quelqu&apos;un d&apos;autre a enregistré avant vous</translation>
    </message>
    <message>
        <source>{error}

Discard your edits and load their version?</source>
        <translation>{error}

Abandonner vos modifications et charger leur version ?</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>Enregistrement impossible</translation>
    </message>
    <message>
        <source>saved {label} with {n} error(s); it cannot be submitted until they are fixed</source>
        <translation>{label} enregistré avec {n} erreur(s) ; il ne pourra être soumis qu&apos;une fois celles-ci corrigées</translation>
    </message>
    <message>
        <source>saved {label}</source>
        <translation>{label} enregistré</translation>
    </message>
    <message>
        <source>added {file}; save to keep it</source>
        <translation>{file} ajouté ; enregistrez pour le garder</translation>
    </message>
    <message>
        <source>Rename file</source>
        <translation>Renommer le fichier</translation>
    </message>
    <message>
        <source>New name for {file}:</source>
        <translation>Nouveau nom pour {file} :</translation>
    </message>
    <message>
        <source>Could not rename</source>
        <translation>Renommage impossible</translation>
    </message>
    <message>
        <source>renamed {old} to {new}; save to keep it</source>
        <translation>{old} renommé en {new} ; enregistrez pour le garder</translation>
    </message>
    <message>
        <source>Delete file</source>
        <translation>Supprimer le fichier</translation>
    </message>
    <message>
        <source>Delete {file} from this draft? Its rules go with it; until you save, Reload brings it back.</source>
        <translation>Supprimer {file} de ce brouillon ? Ses règles partent avec lui ; tant que vous n&apos;avez pas enregistré, Recharger le fait revenir.</translation>
    </message>
    <message>
        <source>Could not delete</source>
        <translation>Suppression impossible</translation>
    </message>
    <message>
        <source>deleted {file}; save to keep it</source>
        <translation>{file} supprimé ; enregistrez pour confirmer</translation>
    </message>
</context>
<context>
    <name>Explanation</name>
    <message>
        <source>the person is in a bikini or swimwear</source>
        <translation>la personne est en bikini ou en maillot de bain</translation>
    </message>
    <message>
        <source>the person is in underwear</source>
        <translation>la personne est en sous-vêtements</translation>
    </message>
    <message>
        <source>the prompt tries to get around the filters</source>
        <translation>la consigne tente de contourner les filtres</translation>
    </message>
    <message>
        <source>the prompt asks for sexual content</source>
        <translation>la consigne demande un contenu sexuel</translation>
    </message>
    <message>
        <source>the prompt asks to put someone in swimwear or underwear</source>
        <translation>la consigne demande de mettre quelqu&apos;un en maillot de bain ou en sous-vêtements</translation>
    </message>
    <message>
        <source>the prompt asks to undress someone</source>
        <translation>la consigne demande de déshabiller quelqu&apos;un</translation>
    </message>
    <message>
        <source>intimate parts are exposed</source>
        <translation>des parties intimes sont exposées</translation>
    </message>
    <message>
        <source>the person is partly nude</source>
        <translation>la personne est en partie dénudée</translation>
    </message>
    <message>
        <source>the person shown is the verified, consenting requester</source>
        <translation>la personne montrée est le demandeur, vérifié et consentant</translation>
    </message>
    <message>
        <source>a child appears</source>
        <translation>un enfant apparaît</translation>
    </message>
    <message>
        <source>a real person appears</source>
        <translation>une personne réelle apparaît</translation>
    </message>
    <message>
        <source>the person shown is not verified as the consenting requester</source>
        <translation>la personne montrée n&apos;est pas vérifiée comme étant le demandeur consentant</translation>
    </message>
    <message>
        <source>the action is {value}</source>
        <translation>l&apos;action est {value}</translation>
    </message>
    <message>
        <source>it comes from the {value} surface</source>
        <translation>elle vient de la surface {value}</translation>
    </message>
    <message>
        <source>the moment checked is the {value}</source>
        <translation>le moment contrôlé est : {value}</translation>
    </message>
    <message>
        <source>the user is on the {value} tier</source>
        <translation>l&apos;utilisateur a l&apos;offre {value}</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>Sent for review</source>
        <translation>Envoyé en vérification</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Autorisé</translation>
    </message>
    <message>
        <source>not: {phrase}</source>
        <translation>non : {phrase}</translation>
    </message>
    <message>
        <source>{region} ({country})</source>
        <translation>{region}, {country}</translation>
    </message>
    <message>
        <source>{items} and {last}</source>
        <translation>{items} et {last}</translation>
    </message>
    <message>
        <source>{file} line {line}</source>
        <translation>{file} ligne {line}</translation>
    </message>
    <message>
        <source>{verb}: the request is invalid ({errors}), so it fails closed.</source>
        <translation>{verb} : la requête est invalide ({errors}) ; elle est donc refusée par défaut.</translation>
    </message>
    <message>
        <source>{verb} in {place}: no rule matched, so the ruleset&apos;s default applies.</source>
        <translation>{verb} ({place}) : aucune règle ne s&apos;applique, la valeur par défaut du jeu de règles s&apos;applique donc.</translation>
    </message>
    <message>
        <source>{verb}: no rule matched, so the ruleset&apos;s default applies.</source>
        <translation>{verb} : aucune règle ne s&apos;applique, la valeur par défaut du jeu de règles s&apos;applique donc.</translation>
    </message>
    <message>
        <source>something the rule needs could not be checked ({why}), so it counts as matched (fail-closed)</source>
        <translation>un élément dont la règle a besoin n&apos;a pas pu être vérifié ({why}) ; elle compte donc comme remplie (refus par défaut)</translation>
    </message>
    <message>
        <source>the rule&apos;s conditions hold</source>
        <translation>les conditions de la règle sont remplies</translation>
    </message>
    <message>
        <source>{verb} in {place} because {because}</source>
        <translation>{verb} ({place}) car {because}</translation>
    </message>
    <message>
        <source>{verb} because {because}</source>
        <translation>{verb} car {because}</translation>
    </message>
    <message>
        <source>rule `{rule}`, {where}</source>
        <translation>règle `{rule}`, {where}</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find (Enter: next, Shift+Enter: previous, Esc: close)</source>
        <translation>Rechercher (Entrée : suivant, Maj+Entrée : précédent, Échap : fermer)</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Occurrence précédente (Maj+Entrée)</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>Occurrence suivante (Entrée, F3)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Fermer (Échap)</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Rechercher :</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>introuvable</translation>
    </message>
</context>
<context>
    <name>ImageView</name>
    <message>
        <source>{name}: file not found</source>
        <translation>{name} : fichier introuvable</translation>
    </message>
    <message>
        <source>{name}: not a readable image (corrupt or unsupported)</source>
        <translation>{name} : image illisible (corrompue ou format non pris en charge)</translation>
    </message>
    <message>
        <source>Drop an image here
or use “Add image…”</source>
        <translation>Déposez une image ici
ou utilisez « Ajouter une image… »</translation>
    </message>
</context>
<context>
    <name>Impact</name>
    <message>
        <source>{draft} has compile errors; the store will refuse it.</source>
        <translation>{draft} contient des erreurs de compilation ; la base la refusera.</translation>
    </message>
    <message>
        <source>Submitted with {n} test case(s), which it is tested and published with.</source>
        <translation>Soumise avec {n} cas de test, avec lesquels elle est testée et publiée.</translation>
    </message>
    <message>
        <source>The working set differs now: {parts} (the next submission keeps it).</source>
        <translation>Les cas en cours d’édition diffèrent désormais : {parts} (la prochaine soumission les conservera).</translation>
    </message>
    <message>
        <source>{failing} of {cases} test case(s) fail on {draft}:</source>
        <translation>{failing} cas de test sur {cases} en échec sur {draft} :</translation>
    </message>
    <message>
        <source>All {cases} test case(s) pass on {draft}.</source>
        <translation>Les {cases} cas de test réussissent sur {draft}.</translation>
    </message>
    <message>
        <source>Nothing is published yet to compare with.</source>
        <translation>Rien n&apos;est encore publié pour comparer.</translation>
    </message>
    <message>
        <source>{n} test case(s) change decision or matched rules against {against}:</source>
        <translation>{n} cas de test changent de décision ou de règles par rapport à {against} :</translation>
    </message>
    <message>
        <source>No test case changes decision or matched rules against {against}.</source>
        <translation>Aucun cas de test ne change de décision ni de règles par rapport à {against}.</translation>
    </message>
    <message>
        <source>Impact of {draft}: it does not compile.</source>
        <translation>Impact de {draft} : la version ne compile pas.</translation>
    </message>
    <message>
        <source>{failing} of {cases} test case(s) fail</source>
        <translation>{failing} cas de test sur {cases} en échec</translation>
    </message>
    <message>
        <source>all {cases} test case(s) pass</source>
        <translation>les {cases} cas de test réussissent</translation>
    </message>
    <message>
        <source>nothing published to compare with</source>
        <translation>rien de publié pour comparer</translation>
    </message>
    <message>
        <source>{n} change decision against {against}</source>
        <translation>{n} changent de décision par rapport à {against}</translation>
    </message>
    <message>
        <source>Impact of {draft}: {failing}; {against}.</source>
        <translation>Impact de {draft} : {failing} ; {against}.</translation>
    </message>
    <message>
        <source>… and {n} more line(s)</source>
        <translation>… et {n} ligne(s) de plus</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Jurist — {user}</source>
        <translation>Jurist — {user}</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Rulesets</source>
        <translation>Jeux de règles</translation>
    </message>
    <message>
        <source>&amp;Editor</source>
        <translation>É&amp;diteur</translation>
    </message>
    <message>
        <source>&amp;Simulator</source>
        <translation>&amp;Simulateur</translation>
    </message>
    <message>
        <source>Country &amp;matrix</source>
        <translation>&amp;Matrice des pays</translation>
    </message>
    <message>
        <source>C&amp;ountries</source>
        <translation>&amp;Pays</translation>
    </message>
    <message>
        <source>&amp;Test cases</source>
        <translation>&amp;Cas de test</translation>
    </message>
    <message>
        <source>&amp;Versions and approval</source>
        <translation>&amp;Versions et approbation</translation>
    </message>
    <message>
        <source>{user} ({role}) · {store}</source>
        <translation>{user} ({role}) · {store}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;New file…</source>
        <translation>&amp;Nouveau fichier…</translation>
    </message>
    <message>
        <source>Add a file for a country (its jurisdiction header filled in)</source>
        <translation>Ajouter un fichier pour un pays (son en-tête jurisdiction rempli)</translation>
    </message>
    <message>
        <source>&amp;Rename file…</source>
        <translation>&amp;Renommer le fichier…</translation>
    </message>
    <message>
        <source>&amp;Delete file…</source>
        <translation>&amp;Supprimer le fichier…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Save the draft (a published version starts a new draft)</source>
        <translation>Enregistrer le brouillon (une version publiée ouvre un nouveau brouillon)</translation>
    </message>
    <message>
        <source>Re&amp;load the saved version</source>
        <translation>Re&amp;charger la version enregistrée</translation>
    </message>
    <message>
        <source>Open a window &amp;as another user…</source>
        <translation>Ouvrir une fenêtre en tant qu&apos;un &amp;autre utilisateur…</translation>
    </message>
    <message>
        <source>Admins: act as a second person (Admin › Users and roles)</source>
        <translation>Administrateurs : agir comme une seconde personne (Admin › Utilisateurs et rôles)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>Ré&amp;tablir</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Rechercher…</translation>
    </message>
    <message>
        <source>Find in the editor, or in the page&apos;s table</source>
        <translation>Rechercher dans l&apos;éditeur, ou dans le tableau de la page</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>Occurrence &amp;suivante</translation>
    </message>
    <message>
        <source>Find &amp;previous</source>
        <translation>Occurrence &amp;précédente</translation>
    </message>
    <message>
        <source>&amp;Go to line…</source>
        <translation>&amp;Aller à la ligne…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Rulesets panel</source>
        <translation>Panneau des &amp;jeux de règles</translation>
    </message>
    <message>
        <source>&amp;Pages</source>
        <translation>&amp;Pages</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Texte plus &amp;grand</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>Texte plus &amp;petit</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>Taille de texte &amp;normale</translation>
    </message>
    <message>
        <source>&amp;Wrap long lines</source>
        <translation>Renvoyer les lignes &amp;longues</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>Lan&amp;gue</translation>
    </message>
    <message>
        <source>&amp;Refresh from the store</source>
        <translation>Ac&amp;tualiser depuis la base</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Revue</translation>
    </message>
    <message>
        <source>&amp;Waiting for my review</source>
        <translation>En &amp;attente de ma relecture</translation>
    </message>
    <message>
        <source>&amp;Run the simulation</source>
        <translation>&amp;Lancer la simulation</translation>
    </message>
    <message>
        <source>Decide the simulator&apos;s request</source>
        <translation>Décider la requête du simulateur</translation>
    </message>
    <message>
        <source>Run all test &amp;cases</source>
        <translation>Exécuter tous les &amp;cas de test</translation>
    </message>
    <message>
        <source>&amp;Admin</source>
        <translation>A&amp;dmin</translation>
    </message>
    <message>
        <source>&amp;Users and roles…</source>
        <translation>&amp;Utilisateurs et rôles…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>&amp;About Jurist</source>
        <translation>À &amp;propos de Jurist</translation>
    </message>
    <message>
        <source>About Jurist</source>
        <translation>À propos de Jurist</translation>
    </message>
    <message>
        <source>Jurist: rules for AI image generation per country, tested, reviewed by two people and published.
Store: {store}</source>
        <translation>Jurist : les règles de la génération d&apos;images par IA, pays par pays, testées, relues par deux personnes et publiées.
Base : {store}</translation>
    </message>
    <message>
        <source>Go to line</source>
        <translation>Aller à la ligne</translation>
    </message>
    <message>
        <source>Line number in {file}:</source>
        <translation>Numéro de ligne dans {file} :</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Recharger</translation>
    </message>
    <message>
        <source>Discard your unsaved edits and load the saved version?</source>
        <translation>Abandonner vos modifications non enregistrées et charger la version enregistrée ?</translation>
    </message>
    <message>
        <source>text size {n} pt</source>
        <translation>taille du texte {n} pt</translation>
    </message>
    <message>
        <source>Could not list rulesets</source>
        <translation>Impossible de lister les jeux de règles</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>New file…</source>
        <translation>Nouveau fichier…</translation>
    </message>
    <message>
        <source>Rules that apply in {place}</source>
        <translation>Règles applicables : {place}</translation>
    </message>
    <message>
        <source>Discard unsaved edits?</source>
        <translation>Abandonner les modifications non enregistrées ?</translation>
    </message>
    <message>
        <source>{label} has unsaved edits. Discard them?</source>
        <translation>{label} a des modifications non enregistrées. Les abandonner ?</translation>
    </message>
    <message>
        <source>Could not open the ruleset</source>
        <translation>Impossible d&apos;ouvrir le jeu de règles</translation>
    </message>
    <message>
        <source>opened {label} ({state})</source>
        <translation>{label} ouvert ({state})</translation>
    </message>
    <message>
        <source>Could not reload</source>
        <translation>Rechargement impossible</translation>
    </message>
    <message>
        <source>the store changed; shown as it is now</source>
        <translation>la base a changé ; affichage mis à jour</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for my review</source>
        <translation>
            <numerusform>%n en attente de ma relecture</numerusform>
            <numerusform>%n en attente de ma relecture</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not act as {name}</source>
        <translation>Impossible d&apos;agir en tant que {name}</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Discard unsaved edits and quit?</source>
        <translation>Abandonner les modifications non enregistrées et quitter ?</translation>
    </message>
</context>
<context>
    <name>Matrix</name>
    <message>
        <source>{place}: {effect} by {rule}</source>
        <translation>{place} : {effect} par {rule}</translation>
    </message>
    <message>
        <source>{place}: {effect} (the ruleset&apos;s default)</source>
        <translation>{place} : {effect} (valeur par défaut du jeu de règles)</translation>
    </message>
</context>
<context>
    <name>MatrixPanel</name>
    <message>
        <source>&amp;Evaluate every place</source>
        <translation>&amp;Évaluer tous les lieux</translation>
    </message>
    <message>
        <source>Decide the simulator&apos;s request from every country and US state</source>
        <translation>Décider la requête du simulateur depuis chaque pays et chaque État américain</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The matrix could not be evaluated</source>
        <translation>La matrice n&apos;a pas pu être évaluée</translation>
    </message>
    <message>
        <source>Filter by code, name, rule or citation (Ctrl+F)</source>
        <translation>Filtrer par code, nom, règle ou référence (Ctrl+F)</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>&amp;Tableau</translation>
    </message>
    <message>
        <source>US &amp;states only</source>
        <translation>É&amp;tats américains seulement</translation>
    </message>
    <message>
        <source>The 50 states; DC and the territories (such as US-UM, the Minor Outlying Islands) are listed as “US district or territory”</source>
        <translation>Les 50 États ; DC et les territoires (comme US-UM, les îles mineures éloignées) sont listés comme « district ou territoire américain »</translation>
    </message>
    <message>
        <source>Run to evaluate the simulator&apos;s request everywhere.</source>
        <translation>Lancez pour évaluer partout la requête du simulateur.</translation>
    </message>
    <message>
        <source>{shown} of {total} places shown · totals: </source>
        <translation>{shown} lieux affichés sur {total} · totaux : </translation>
    </message>
    <message>
        <source> · hypothetical scores</source>
        <translation> · scores hypothétiques</translation>
    </message>
    <message>
        <source> · {n} image(s), detectors run once</source>
        <translation> · {n} image(s), détecteurs exécutés une fois</translation>
    </message>
    <message>
        <source>Request: {request}</source>
        <translation>Requête : {request}</translation>
    </message>
    <message>
        <source>(all unknown)</source>
        <translation>(tout inconnu)</translation>
    </message>
    <message>
        <source> · rules: {origin}</source>
        <translation> · règles : {origin}</translation>
    </message>
    <message>
        <source>matrix cancelled</source>
        <translation>matrice annulée</translation>
    </message>
    <message>
        <source>matrix ready</source>
        <translation>matrice prête</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>Rien à exporter</translation>
    </message>
    <message>
        <source>Evaluate the matrix first.</source>
        <translation>Évaluez d&apos;abord la matrice.</translation>
    </message>
    <message>
        <source>Export matrix as CSV</source>
        <translation>Exporter la matrice en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>Export impossible</translation>
    </message>
    <message>
        <source>exported {n} rows to {path}</source>
        <translation>{n} lignes exportées vers {path}</translation>
    </message>
</context>
<context>
    <name>NewFileDialog</name>
    <message>
        <source>New file</source>
        <translation>Nouveau fichier</translation>
    </message>
    <message>
        <source>(every country: no jurisdiction header)</source>
        <translation>(tous les pays : pas d&apos;en-tête jurisdiction)</translation>
    </message>
    <message>
        <source>For the &amp;place:</source>
        <translation>Pour le &amp;lieu :</translation>
    </message>
    <message>
        <source>File &amp;name:</source>
        <translation>&amp;Nom du fichier :</translation>
    </message>
</context>
<context>
    <name>Places</name>
    <message>
        <source> and {n} more</source>
        <translation> et {n} autres</translation>
    </message>
    <message>
        <source>`{typed}` could be {shown}{more}: type more, or pick one from the list</source>
        <translation>`{typed}` peut désigner {shown}{more} : précisez la saisie ou choisissez dans la liste</translation>
    </message>
    <message>
        <source>`{typed}` is not a country: type its code (GB) or name (United Kingdom), or pick one from the list</source>
        <translation>`{typed}` n&apos;est pas un pays : tapez son code (FR) ou son nom (France), ou choisissez dans la liste</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>select a version first</source>
        <translation>sélectionnez d&apos;abord une version</translation>
    </message>
    <message>
        <source>you are not a registered user of this store</source>
        <translation>vous n&apos;êtes pas un utilisateur inscrit de cette base</translation>
    </message>
    <message>
        <source>“{step}” needs the {needed} role; your role is {role}</source>
        <translation>« {step} » demande le rôle {needed} ; votre rôle : {role}</translation>
    </message>
    <message>
        <source> or </source>
        <translation> ou </translation>
    </message>
    <message>
        <source>{version} is {state}; “{step}” needs {wanted}</source>
        <translation>{version} est à l&apos;état {state} ; « {step} » demande l&apos;état {wanted}</translation>
    </message>
    <message>
        <source>you wrote {version}; the two-person rule needs another approver</source>
        <translation>vous avez écrit {version} ; la règle des deux personnes exige un autre approbateur</translation>
    </message>
    <message>
        <source>the admin acting as you wrote {version}; the two-person rule needs another approver</source>
        <translation>l&apos;administrateur qui agit en votre nom a écrit {version} ; la règle des deux personnes exige un autre approbateur</translation>
    </message>
</context>
<context>
    <name>RequestFormWidget</name>
    <message>
        <source>(unknown)</source>
        <translation>(inconnu)</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>non réglé</translation>
    </message>
    <message>
        <source>input, before generating</source>
        <translation>entrée, avant génération</translation>
    </message>
    <message>
        <source>output, the generated image</source>
        <translation>sortie, l&apos;image générée</translation>
    </message>
    <message>
        <source>A platform checks twice: the request (the prompt and the uploads) before generating, and the generated image before showing it. At the output, the images are the generator&apos;s.</source>
        <translation>Une plateforme contrôle deux fois : la demande (l&apos;invite et les images envoyées) avant de générer, puis l&apos;image générée avant de la montrer. À la sortie, les images sont celles du générateur.</translation>
    </message>
    <message>
        <source>YYYY-MM-DD (empty: today)</source>
        <translation>AAAA-MM-JJ (vide : aujourd&apos;hui)</translation>
    </message>
    <message>
        <source>The prompt, in any language</source>
        <translation>La consigne, dans n&apos;importe quelle langue</translation>
    </message>
    <message>
        <source>Add &amp;image…</source>
        <translation>Ajouter une &amp;image…</translation>
    </message>
    <message>
        <source>Or drop images on the picture pane</source>
        <translation>Ou déposez des images sur le volet de l&apos;image</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Remove every image from the request</source>
        <translation>Retirer toutes les images de la requête</translation>
    </message>
    <message>
        <source>&amp;Action</source>
        <translation>&amp;Action</translation>
    </message>
    <message>
        <source>&amp;Country</source>
        <translation>&amp;Pays</translation>
    </message>
    <message>
        <source>Re&amp;gion</source>
        <translation>Ré&amp;gion</translation>
    </message>
    <message>
        <source>User &amp;tier</source>
        <translation>&amp;Offre de l&apos;utilisateur</translation>
    </message>
    <message>
        <source>&amp;Surface</source>
        <translation>&amp;Surface</translation>
    </message>
    <message>
        <source>Stag&amp;e</source>
        <translation>Ét&amp;ape</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>&amp;Prompt</source>
        <translation>&amp;Consigne</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Put your own scores in the detectors&apos; place.</source>
        <translation>Mettez vos propres scores à la place des détecteurs.</translation>
    </message>
    <message>
        <source>&amp;Hypothetical scores</source>
        <translation>Scores &amp;hypothétiques</translation>
    </message>
    <message>
        <source> (person)</source>
        <translation> (personne)</translation>
    </message>
    <message>
        <source>Unset all scores</source>
        <translation>Effacer tous les scores</translation>
    </message>
    <message>
        <source>Label scores</source>
        <translation>Scores des étiquettes</translation>
    </message>
    <message>
        <source>Choose images</source>
        <translation>Choisir des images</translation>
    </message>
    <message>
        <source>No score set yet: every label comes from its detector. Move a slider to put your score in its detector&apos;s place.</source>
        <translation>Aucun score réglé : chaque étiquette vient de son détecteur. Déplacez un curseur pour mettre votre score à la place de son détecteur.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> et </translation>
    </message>
    <message>
        <source>replaces detector `{detector}`</source>
        <translation>remplace le détecteur `{detector}`</translation>
    </message>
    <message>
        <source>replace detector `{detector}`</source>
        <translation>remplacent le détecteur `{detector}`</translation>
    </message>
    <message>
        <source>Your scores: {parts}. Labels you did not set come from their detectors as live (the prompt is read; no image is looked at in this mode).</source>
        <translation>Vos scores : {parts}. Les étiquettes que vous n&apos;avez pas réglées viennent de leurs détecteurs, comme en production (la consigne est lue ; aucune image n&apos;est examinée dans ce mode).</translation>
    </message>
</context>
<context>
    <name>RuleCards</name>
    <message>
        <source>Citation:</source>
        <translation>Référence :</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Message :</translation>
    </message>
    <message>
        <source>Counted as matched, not checked:</source>
        <translation>Comptée comme remplie, non vérifiée :</translation>
    </message>
    <message>
        <source>No rule matched.</source>
        <translation>Aucune règle ne s&apos;applique.</translation>
    </message>
</context>
<context>
    <name>Rulesets</name>
    <message>
        <source>no versions</source>
        <translation>aucune version</translation>
    </message>
    <message>
        <source>Rulesets, places and files</source>
        <translation>Jeux de règles, lieux et fichiers</translation>
    </message>
    <message>
        <source>Every country</source>
        <translation>Tous les pays</translation>
    </message>
    <message>
        <source>%n file(s)</source>
        <translation>%n fichier(s)</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Enter (on a rulesets tree item)</source>
        <translation>Entrée (sur un élément de l&apos;arbre des jeux de règles)</translation>
    </message>
    <message>
        <source>Open the file, or the ruleset</source>
        <translation>Ouvrir le fichier, ou le jeu de règles</translation>
    </message>
    <message>
        <source>Enter (in a list or table)</source>
        <translation>Entrée (dans une liste ou un tableau)</translation>
    </message>
    <message>
        <source>Open or edit the row: a problem&apos;s line, a rule, a case, a version</source>
        <translation>Ouvrir ou modifier la ligne : la ligne d&apos;un problème, une règle, un cas, une version</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab, Maj+Tab</translation>
    </message>
    <message>
        <source>Move to the next or previous field (text boxes and tables let Tab go)</source>
        <translation>Passer au champ suivant ou précédent (les zones de texte et les tableaux laissent passer Tab)</translation>
    </message>
    <message>
        <source>Ctrl+Tab, Ctrl+Shift+Tab</source>
        <translation>Ctrl+Tab, Ctrl+Maj+Tab</translation>
    </message>
    <message>
        <source>Leave the policy editor for the next or previous field (there Tab indents by four spaces)</source>
        <translation>Quitter l&apos;éditeur de règles pour le champ suivant ou précédent (Tab y indente de quatre espaces)</translation>
    </message>
    <message>
        <source>Ctrl+Space</source>
        <translation>Ctrl+Espace</translation>
    </message>
    <message>
        <source>Complete the word in the policy editor</source>
        <translation>Compléter le mot dans l&apos;éditeur de règles</translation>
    </message>
    <message>
        <source>Enter, Shift+Enter (in a find bar)</source>
        <translation>Entrée, Maj+Entrée (dans une barre de recherche)</translation>
    </message>
    <message>
        <source>Next or previous match</source>
        <translation>Occurrence suivante ou précédente</translation>
    </message>
    <message>
        <source>Esc (in a find bar)</source>
        <translation>Échap (dans une barre de recherche)</translation>
    </message>
    <message>
        <source>Close it and go back</source>
        <translation>La fermer et revenir</translation>
    </message>
    <message>
        <source>Alt+underlined letter</source>
        <translation>Alt+lettre soulignée</translation>
    </message>
    <message>
        <source>Open a menu, press a button or go to a field</source>
        <translation>Ouvrir un menu, appuyer sur un bouton ou aller à un champ</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>Effet</translation>
    </message>
</context>
<context>
    <name>Simulator</name>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>failed: {why}</source>
        <translation>échec : {why}</translation>
    </message>
    <message>
        <source>rule {id}</source>
        <translation>règle {id}</translation>
    </message>
    <message>
        <source>`{text}` is not a date: write it as YYYY-MM-DD, e.g. {example}</source>
        <translation>`{text}` n&apos;est pas une date : écrivez-la sous la forme AAAA-MM-JJ, par exemple {example}</translation>
    </message>
    <message>
        <source>%n rule(s) matched</source>
        <translation>%n règle(s) remplie(s)</translation>
    </message>
    <message>
        <source>invalid request (fail-closed): {errors}</source>
        <translation>requête invalide (refus par défaut) : {errors}</translation>
    </message>
    <message>
        <source>decided by {rule} ({source})</source>
        <translation>décidé par {rule} ({source})</translation>
    </message>
    <message>
        <source>no rule matched: the ruleset&apos;s default applied</source>
        <translation>aucune règle remplie : la valeur par défaut du jeu de règles s&apos;applique</translation>
    </message>
    <message>
        <source>no rule decided</source>
        <translation>aucune règle n&apos;a décidé</translation>
    </message>
    <message>
        <source>%n rule(s) applied unverified (fail-closed)</source>
        <translation>%n règle(s) appliquée(s) sans vérification (refus par défaut)</translation>
    </message>
    <message>
        <source>image could not be checked</source>
        <translation>l&apos;image n&apos;a pas pu être vérifiée</translation>
    </message>
    <message>
        <source>detector {name} failed</source>
        <translation>le détecteur {name} a échoué</translation>
    </message>
    <message>
        <source>some tests could not be checked: {reasons}</source>
        <translation>certains tests n&apos;ont pas pu être vérifiés : {reasons}</translation>
    </message>
    <message>
        <source>The ruleset does not compile</source>
        <translation>Le jeu de règles ne compile pas</translation>
    </message>
    <message>
        <source>Fix the errors in the editor first.</source>
        <translation>Corrigez d&apos;abord les erreurs dans l&apos;éditeur.</translation>
    </message>
</context>
<context>
    <name>SimulatorPanel</name>
    <message>
        <source>the editor&apos;s text</source>
        <translation>le texte de l&apos;éditeur</translation>
    </message>
    <message>
        <source>the published version</source>
        <translation>la version publiée</translation>
    </message>
    <message>
        <source>Decide with the text in the editor (saved or not), or with the version served now</source>
        <translation>Décider avec le texte de l&apos;éditeur (enregistré ou non), ou avec la version en service</translation>
    </message>
    <message>
        <source>Decide &amp;with:</source>
        <translation>Décider a&amp;vec :</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lancer</translation>
    </message>
    <message>
        <source>Decide the request (Ctrl+Return)</source>
        <translation>Décider la requête (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Save as test &amp;case…</source>
        <translation>Enregistrer comme &amp;cas de test…</translation>
    </message>
    <message>
        <source>Run a simulation first: its request becomes the case.</source>
        <translation>Lancez d&apos;abord une simulation : sa requête devient le cas.</translation>
    </message>
    <message>
        <source>Simulation failed</source>
        <translation>La simulation a échoué</translation>
    </message>
    <message>
        <source>simulation cancelled</source>
        <translation>simulation annulée</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Trace</translation>
    </message>
    <message>
        <source>Detectors</source>
        <translation>Détecteurs</translation>
    </message>
    <message>
        <source>Decision JSON</source>
        <translation>Décision JSON</translation>
    </message>
    <message>
        <source>Matched rules</source>
        <translation>Règles remplies</translation>
    </message>
    <message>
        <source>The published version does not compile</source>
        <translation>La version publiée ne compile pas</translation>
    </message>
    <message>
        <source>Nothing is published</source>
        <translation>Rien n&apos;est publié</translation>
    </message>
    <message>
        <source>{ruleset} has no published version yet; decide with the editor&apos;s text instead.</source>
        <translation>{ruleset} n&apos;a pas encore de version publiée ; décidez plutôt avec le texte de l&apos;éditeur.</translation>
    </message>
    <message>
        <source>Decided with {label} — published (the version served now)</source>
        <translation>Décidé avec {label} — publiée (la version en service)</translation>
    </message>
    <message>
        <source>Decided with the editor&apos;s text</source>
        <translation>Décidé avec le texte de l&apos;éditeur</translation>
    </message>
    <message>
        <source>Decided with {label} — {state}, with unsaved edits</source>
        <translation>Décidé avec {label} — {state}, avec des modifications non enregistrées</translation>
    </message>
    <message>
        <source>Decided with {label} — {state}</source>
        <translation>Décidé avec {label} — {state}</translation>
    </message>
    <message>
        <source>not run: {problem}</source>
        <translation>non lancé : {problem}</translation>
    </message>
    <message>
        <source>not run: fix the field marked in red first</source>
        <translation>non lancé : corrigez d&apos;abord le champ signalé en rouge</translation>
    </message>
    <message>
        <source>deciding…</source>
        <translation>décision en cours…</translation>
    </message>
    <message>
        <source>image could not be checked:
{problem}</source>
        <translation>l&apos;image n&apos;a pas pu être vérifiée :
{problem}</translation>
    </message>
    <message>
        <source>decision: {effect}</source>
        <translation>décision : {effect}</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Save as test case</source>
        <translation>Enregistrer comme cas de test</translation>
    </message>
    <message>
        <source>Case name:</source>
        <translation>Nom du cas :</translation>
    </message>
    <message>
        <source>Could not save the case</source>
        <translation>Impossible d&apos;enregistrer le cas</translation>
    </message>
    <message>
        <source>saved test case `{name}`</source>
        <translation>cas de test `{name}` enregistré</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>reads rulesets, runs simulations</source>
        <translation>lit les jeux de règles, lance des simulations</translation>
    </message>
    <message>
        <source>also edits drafts and test cases, submits for review, comments</source>
        <translation>modifie aussi les brouillons et les cas de test, soumet à la relecture, commente</translation>
    </message>
    <message>
        <source>also approves, sends back, publishes and retires (never what they wrote)</source>
        <translation>approuve aussi, renvoie, publie et retire (jamais ce qu&apos;il a écrit)</translation>
    </message>
    <message>
        <source>also manages users and may act as another user</source>
        <translation>gère aussi les utilisateurs et peut agir au nom d&apos;un autre</translation>
    </message>
    <message>
        <source>Users and roles</source>
        <translation>Utilisateurs et rôles</translation>
    </message>
    <message>
        <source>&amp;Change role</source>
        <translation>&amp;Changer de rôle</translation>
    </message>
    <message>
        <source>Open a window &amp;as this user</source>
        <translation>Ouvrir une fenêtre &amp;au nom de cet utilisateur</translation>
    </message>
    <message>
        <source>A second window acting as the selected user: every step it takes is recorded with your login behind it</source>
        <translation>Une seconde fenêtre au nom de l&apos;utilisateur choisi : chaque action y est enregistrée avec votre identifiant derrière</translation>
    </message>
    <message>
        <source>login name, e.g. jdupont</source>
        <translation>identifiant, par exemple jdupont</translation>
    </message>
    <message>
        <source>A&amp;dd user</source>
        <translation>Ajo&amp;uter l&apos;utilisateur</translation>
    </message>
    <message>
        <source>Selected user:</source>
        <translation>Utilisateur sélectionné :</translation>
    </message>
    <message>
        <source>New user:</source>
        <translation>Nouvel utilisateur :</translation>
    </message>
    <message>
        <source>Only an admin adds users or changes roles; your role is {role}.</source>
        <translation>Seul un administrateur ajoute des utilisateurs ou change les rôles ; votre rôle : {role}.</translation>
    </message>
    <message>
        <source>Select a user to change their role or act as them.</source>
        <translation>Sélectionnez un utilisateur pour changer son rôle ou agir en son nom.</translation>
    </message>
    <message>
        <source>Type the new user&apos;s login name first.</source>
        <translation>Tapez d&apos;abord l&apos;identifiant du nouvel utilisateur.</translation>
    </message>
</context>
<context>
    <name>VersionsPanel</name>
    <message>
        <source>Waiting for my review</source>
        <translation>En attente de ma relecture</translation>
    </message>
    <message>
        <source>&amp;Open in editor</source>
        <translation>&amp;Ouvrir dans l&apos;éditeur</translation>
    </message>
    <message>
        <source>running test cases: %v of %m</source>
        <translation>exécution des cas de test : %v sur %m</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Could not run the version&apos;s test cases</source>
        <translation>Impossible d&apos;exécuter les cas de test de la version</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <source>with</source>
        <translation>avec</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Write a comment on the selected version</source>
        <translation>Écrire un commentaire sur la version sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Post comment</source>
        <translation>&amp;Publier le commentaire</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Modifications</translation>
    </message>
    <message>
        <source>Review thread</source>
        <translation>Fil de relecture</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Impact</translation>
    </message>
    <message>
        <source>Subject, e.g. ruleset:global (empty: everything)</source>
        <translation>Objet, par exemple ruleset:global (vide : tout)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>&amp;Vérifier la chaîne</translation>
    </message>
    <message>
        <source>History and approval</source>
        <translation>Historique et approbation</translation>
    </message>
    <message>
        <source>Audit log (UTC)</source>
        <translation>Journal d&apos;audit (UTC)</translation>
    </message>
    <message>
        <source>Could not list versions</source>
        <translation>Impossible de lister les versions</translation>
    </message>
    <message>
        <source>Waiting for my review: cannot list ({error})</source>
        <translation>En attente de ma relecture : impossible de lister ({error})</translation>
    </message>
    <message>
        <source>{label} — {step} — by {authors}, submitted {at}</source>
        <translation>{label} — {step} — par {authors}, soumise le {at}</translation>
    </message>
    <message>
        <source>Waiting for my review ({n}) — Enter opens</source>
        <translation>En attente de ma relecture ({n}) — Entrée ouvre</translation>
    </message>
    <message>
        <source>Nothing is waiting for my review</source>
        <translation>Rien n&apos;attend ma relecture</translation>
    </message>
    <message>
        <source>“{step}” goes on once the test cases have run; the other steps wait for it</source>
        <translation>« {step} » reprend une fois les cas de test exécutés ; les autres étapes l&apos;attendent</translation>
    </message>
    <message>
        <source>The impact of a version in review (its failing test cases, and the cases it decides differently from the published version) shows here for approvers.</source>
        <translation>L&apos;impact d&apos;une version en relecture (ses cas de test en échec, et les cas qu&apos;elle décide autrement que la version publiée) s&apos;affiche ici pour les approbateurs.</translation>
    </message>
    <message>
        <source>(details in the Impact tab)</source>
        <translation>(détails dans l&apos;onglet Impact)</translation>
    </message>
    <message>
        <source>Impact of {label}: running its test cases…</source>
        <translation>Impact de {label} : exécution de ses cas de test…</translation>
    </message>
    <message>
        <source>running the version&apos;s test cases and comparing with the published version…</source>
        <translation>exécution des cas de test de la version et comparaison avec la version publiée…</translation>
    </message>
    <message>
        <source>Why it goes back (kept on the review thread; optional):</source>
        <translation>Pourquoi elle repart en brouillon (gardé dans le fil de relecture ; facultatif) :</translation>
    </message>
    <message>
        <source>{step} {label}?</source>
        <translation>{step} {label} ?</translation>
    </message>
    <message>
        <source>Submit {label} for review?</source>
        <translation>Soumettre {label} à la relecture ?</translation>
    </message>
    <message>
        <source>Approve {label}?</source>
        <translation>Approuver {label} ?</translation>
    </message>
    <message>
        <source>A note to the approvers: what changed and why (kept on the review thread; optional):</source>
        <translation>Un mot aux approbateurs : ce qui change et pourquoi (gardé dans le fil de relecture ; facultatif) :</translation>
    </message>
    <message>
        <source>Comment (kept on the review thread; optional):</source>
        <translation>Commentaire (gardé dans le fil de relecture ; facultatif) :</translation>
    </message>
    <message>
        <source>{label}, the version published now, will be retired.</source>
        <translation>{label}, la version publiée actuellement, sera retirée.</translation>
    </message>
    <message>
        <source>Could not take the step “{step}”</source>
        <translation>Impossible d&apos;effectuer l&apos;étape « {step} »</translation>
    </message>
    <message>
        <source>{label} is now {state}</source>
        <translation>{label} est maintenant à l&apos;état {state}</translation>
    </message>
    <message>
        <source>Commenting needs the editor role; your role is {role}.</source>
        <translation>Commenter demande le rôle rédacteur ; votre rôle : {role}.</translation>
    </message>
    <message>
        <source>Cannot read the thread: {error}</source>
        <translation>Impossible de lire le fil : {error}</translation>
    </message>
    <message>
        <source>No note or comment on {label} yet.</source>
        <translation>Aucun mot ni commentaire sur {label} pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Review thread ({n})</source>
        <translation>Fil de relecture ({n})</translation>
    </message>
    <message>
        <source>Could not post the comment</source>
        <translation>Impossible de publier le commentaire</translation>
    </message>
    <message>
        <source>comment posted on {label}</source>
        <translation>commentaire publié sur {label}</translation>
    </message>
    <message>
        <source>Could not compare versions</source>
        <translation>Impossible de comparer les versions</translation>
    </message>
    <message>
        <source>{n} file(s) differ between v{old} and v{new}</source>
        <translation>{n} fichier(s) diffèrent entre v{old} et v{new}</translation>
    </message>
    <message>
        <source>v{old} and v{new} have the same sources</source>
        <translation>v{old} et v{new} ont les mêmes sources</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s), newest first</source>
        <translation>
            <numerusform>%n événement(s), les plus récents d&apos;abord</numerusform>
            <numerusform>%n événement(s), les plus récents d&apos;abord</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not verify the audit log</source>
        <translation>Impossible de vérifier le journal d&apos;audit</translation>
    </message>
    <message>
        <source>audit chain intact: {n} event(s), head {head}…</source>
        <translation>chaîne d&apos;audit intacte : {n} événement(s), tête {head}…</translation>
    </message>
    <message>
        <source>AUDIT CHAIN BROKEN: {n} problem(s)</source>
        <translation>CHAÎNE D&apos;AUDIT ROMPUE : {n} problème(s)</translation>
    </message>
    <message>
        <source>The audit log was altered</source>
        <translation>Le journal d&apos;audit a été modifié</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>deny</source>
        <translation>refus</translation>
    </message>
    <message>
        <source>review</source>
        <translation>vérification</translation>
    </message>
    <message>
        <source>allow</source>
        <translation>autorisation</translation>
    </message>
    <message>
        <source>DENY</source>
        <translation>REFUSÉ</translation>
    </message>
    <message>
        <source>REVIEW</source>
        <translation>À VÉRIFIER</translation>
    </message>
    <message>
        <source>ALLOW</source>
        <translation>AUTORISÉ</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>brouillon</translation>
    </message>
    <message>
        <source>in review</source>
        <translation>en relecture</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>approuvée</translation>
    </message>
    <message>
        <source>published</source>
        <translation>publiée</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>retirée</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>lecteur</translation>
    </message>
    <message>
        <source>editor</source>
        <translation>rédacteur</translation>
    </message>
    <message>
        <source>approver</source>
        <translation>approbateur</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <source>Submit for review</source>
        <translation>Soumettre à la relecture</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approuver</translation>
    </message>
    <message>
        <source>Send back to draft</source>
        <translation>Renvoyer en brouillon</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>Publier</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>submitter&apos;s note</source>
        <translation>mot de l&apos;auteur</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>commentaire</translation>
    </message>
    <message>
        <source>sent back</source>
        <translation>renvoyée</translation>
    </message>
    <message>
        <source>everywhere</source>
        <translation>partout</translation>
    </message>
    <message>
        <source>this country</source>
        <translation>ce pays</translation>
    </message>
    <message>
        <source>a region of it</source>
        <translation>une de ses régions</translation>
    </message>
    <message>
        <source>country</source>
        <translation>pays</translation>
    </message>
    <message>
        <source>US state</source>
        <translation>État américain</translation>
    </message>
    <message>
        <source>US district or territory</source>
        <translation>district ou territoire américain</translation>
    </message>
    <message>
        <source>No decision yet</source>
        <translation>Pas encore de décision</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vide</translation>
    </message>
    <message>
        <source>not registered</source>
        <translation>non inscrit</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>true</source>
        <translation>vrai</translation>
    </message>
    <message>
        <source>false</source>
        <translation>faux</translation>
    </message>
</context>
</TS>
