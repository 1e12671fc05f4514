/* bi-embedded-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-embedded-server"

#include "config.h"

#include "bi-embedded-server.h"

#include "bi-client-error.h"
#include "bi-file-tree.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define PROGRAM_NAME "bookimg-server"
#define LISTENING_PREFIX "listening on "
/* Loading a large catalog into SQLite takes a while on the first start. */
#define START_TIMEOUT_SECONDS 120
/* After SIGTERM the server finishes the stage in progress; past this it is killed. */
#define STOP_GRACE_SECONDS 15
/* How much of the server's log an error message quotes. */
#define LOG_TAIL_BYTES 1500

struct _BiEmbeddedServer
{
  GObject           parent_instance;

  char             *program;
  char             *catalog_path;  /* NULL: the server's default */
  char             *data_dir;      /* temporary (removed on stop) unless keep_data_dir */
  gboolean          keep_data_dir; /* data_dir was given: it outlives the server */
  GStrv             extra_args;    /* appended to the command line (tests) */
  GStrv             environment;   /* "NAME=VALUE" added to the child's environment */
  GSubprocess      *process;
  GDataInputStream *output;        /* the server's stdout, drained line by line */
  char             *url;
  gboolean          exited;
  gboolean          stopping;      /* we sent SIGTERM: its exit is expected */
  GTask            *start_task;    /* until the first line arrives or the start fails */
  guint             start_timeout_source;
  GCancellable     *cancellable;   /* reads and waits of our own; cancelled on dispose */
};

G_DEFINE_FINAL_TYPE (BiEmbeddedServer, bi_embedded_server, G_TYPE_OBJECT)

/* Runs in the child between fork and exec: a server whose app or CLI crashed (or was killed)
 * would otherwise live on, holding its data dir and port, with nobody to stop it. */
static void
stop_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

enum
{
  PROP_0,
  PROP_PROGRAM,
  PROP_CATALOG_PATH,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- helpers ---- */

static gboolean
is_program (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (path, G_FILE_TEST_IS_DIR);
}

static void
remove_tree_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  bi_file_tree_remove (task_data);
  g_task_return_boolean (task, TRUE);
}

/* The end of the server's log, for an error message. */
static char *
read_log_tail (BiEmbeddedServer *self)
{
  g_autofree char *path = g_build_filename (self->data_dir, PROGRAM_NAME ".log", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *tail;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length == 0)
    return g_strdup ("(the server wrote nothing to its log)");

  tail = contents + (length > LOG_TAIL_BYTES ? length - LOG_TAIL_BYTES : 0);
  return g_strstrip (g_utf8_make_valid (tail, -1));
}

/* ---- starting ---- */

static void
fail_start (BiEmbeddedServer *self,
            GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  g_clear_handle_id (&self->start_timeout_source, g_source_remove);
  if (task == NULL)
    {
      g_error_free (error);
      return;
    }

  if (self->process != NULL && !self->exited)
    g_subprocess_force_exit (self->process);
  g_task_return_error (task, error);
}

static void read_line_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

/* The reads and the wait run as long as the server does, so they hold no reference (the
 * object could never be disposed); dispose cancels them and their callbacks then return
 * before touching it. */
static void
read_next_line (BiEmbeddedServer *self)
{
  g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_line_cb, self);
}

/* The first line carries the URL; later lines are drained so the server never blocks on a
 * full pipe. */
static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BiEmbeddedServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GTask) task = NULL;
  const char *url;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line == NULL)
    {
      /* End of output or a read error: the exit handler reports a failed start. */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Reading the server's output failed: %s", error->message);
      return;
    }

  if (self->start_task == NULL)
    {
      g_debug ("bookimg-server: %s", line);
      read_next_line (self);
      return;
    }

  g_strstrip (line);
  url = g_str_has_prefix (line, LISTENING_PREFIX) ? line + strlen (LISTENING_PREFIX) : NULL;
  if (url == NULL || !g_str_has_prefix (url, "http://") || strchr (url, ' ') != NULL)
    {
      g_autofree char *shown = g_utf8_substring (line, 0, MIN (g_utf8_strlen (line, -1), 120));

      fail_start (self, g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                                     "%s did not say where it listens; its first line was "
                                     "\"%s\". Check that %s is a BookImg server of this "
                                     "version.", self->program, shown, self->program));
      return;
    }

  self->url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  g_clear_handle_id (&self->start_timeout_source, g_source_remove);
  task = g_steal_pointer (&self->start_task);
  read_next_line (self);
  g_task_return_boolean (task, TRUE);
}

static void
process_exited_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BiEmbeddedServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_tail = NULL;
  GSubprocess *process = G_SUBPROCESS (source);

  if (!g_subprocess_wait_finish (process, result, &error))
    return; /* cancelled: we are being disposed */

  self->exited = TRUE;
  log_tail = read_log_tail (self);
  if (self->start_task == NULL)
    {
      /* The data dir, and the log with it, is removed on stop: quote the log now. */
      if (self->url != NULL && !self->stopping)
        g_warning ("%s has exited unexpectedly; its log ends with:\n%s", self->program,
                   log_tail);
      return;
    }

  fail_start (self, g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                                 "%s stopped before it was ready (%s %d). Its log ends "
                                 "with:\n%s",
                                 self->program,
                                 g_subprocess_get_if_exited (process) ? "exit status" : "signal",
                                 g_subprocess_get_if_exited (process)
                                   ? g_subprocess_get_exit_status (process)
                                   : g_subprocess_get_term_sig (process),
                                 log_tail));
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  BiEmbeddedServer *self = user_data;

  self->start_timeout_source = 0;
  fail_start (self, g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                                 "%s did not get ready within %d seconds; it was stopped. "
                                 "Start it by hand to see what it does.",
                                 self->program, START_TIMEOUT_SECONDS));
  return G_SOURCE_REMOVE;
}

/* ---- stopping ---- */

typedef struct
{
  guint grace_source;
} StopData;

static void
stop_data_free (StopData *data)
{
  g_clear_handle_id (&data->grace_source, g_source_remove);
  g_free (data);
}

static void
tree_removed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, g_task_propagate_boolean (G_TASK (result), NULL));
}

/* Takes over @task. */
static void
remove_data_dir_then_return (GTask *task)
{
  BiEmbeddedServer *self = g_task_get_source_object (task);
  g_autoptr(GTask) removal = NULL;

  if (self->data_dir == NULL || self->keep_data_dir)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  removal = g_task_new (self, NULL, tree_removed_cb, task);
  g_task_set_task_data (removal, g_steal_pointer (&self->data_dir), g_free);
  g_task_run_in_thread (removal, remove_tree_thread);
}

static gboolean
stop_grace_cb (gpointer user_data)
{
  GTask *task = user_data;
  BiEmbeddedServer *self = g_task_get_source_object (task);
  StopData *data = g_task_get_task_data (task);

  data->grace_source = 0;
  g_warning ("%s did not stop within %d seconds; killing it", self->program,
             STOP_GRACE_SECONDS);
  g_subprocess_force_exit (self->process);
  return G_SOURCE_REMOVE;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  BiEmbeddedServer *self = g_task_get_source_object (task);
  StopData *data = g_task_get_task_data (task);

  g_clear_handle_id (&data->grace_source, g_source_remove);
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  self->exited = TRUE;
  remove_data_dir_then_return (task);
}

/* ---- GObject ---- */

static void
bi_embedded_server_dispose (GObject *object)
{
  BiEmbeddedServer *self = BI_EMBEDDED_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_timeout_source, g_source_remove);

  /* Last resort when nobody called stop: never leave a server or its data behind. */
  if (self->process != NULL && !self->exited)
    {
      g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
      self->exited = TRUE;
    }
  if (self->data_dir != NULL && !self->keep_data_dir)
    bi_file_tree_remove (self->data_dir);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_object (&self->output);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (bi_embedded_server_parent_class)->dispose (object);
}

static void
bi_embedded_server_finalize (GObject *object)
{
  BiEmbeddedServer *self = BI_EMBEDDED_SERVER (object);

  g_free (self->program);
  g_free (self->catalog_path);
  g_free (self->url);
  g_strfreev (self->extra_args);
  g_strfreev (self->environment);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bi_embedded_server_parent_class)->finalize (object);
}

static void
bi_embedded_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BiEmbeddedServer *self = BI_EMBEDDED_SERVER (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      g_value_set_string (value, self->program);
      break;
    case PROP_CATALOG_PATH:
      g_value_set_string (value, self->catalog_path);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_embedded_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BiEmbeddedServer *self = BI_EMBEDDED_SERVER (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      self->program = g_value_dup_string (value);
      break;
    case PROP_CATALOG_PATH:
      self->catalog_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_embedded_server_class_init (BiEmbeddedServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_embedded_server_dispose;
  object_class->finalize = bi_embedded_server_finalize;
  object_class->get_property = bi_embedded_server_get_property;
  object_class->set_property = bi_embedded_server_set_property;

  properties[PROP_PROGRAM] =
    g_param_spec_string ("program", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATALOG_PATH] =
    g_param_spec_string ("catalog-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bi_embedded_server_init (BiEmbeddedServer *self)
{
  self->cancellable = g_cancellable_new ();
}

/* ---- public API ---- */

char *
bi_embedded_server_find_program (GError **error)
{
  const char *from_env = g_getenv ("BOOKIMG_SERVER");
  g_autofree char *self_path = NULL;
  g_autofree char *build_tree_path = NULL;
  g_autofree char *installed_path = g_build_filename (BINDIR, PROGRAM_NAME, NULL);

  if (from_env != NULL && from_env[0] != '\0')
    {
      if (is_program (from_env))
        return g_strdup (from_env);

      g_set_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                   "BOOKIMG_SERVER is set to %s, which is not an executable program; "
                   "point it at bookimg-server or unset it.", from_env);
      return NULL;
    }

  /* In a build tree the clients live in src/<app>/, the server in backend/local/. */
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *self_dir = g_path_get_dirname (self_path);

      build_tree_path = g_build_filename (self_dir, "..", "..", "backend", "local", PROGRAM_NAME,
                                          NULL);
      if (is_program (build_tree_path))
        return g_canonicalize_filename (build_tree_path, NULL);
    }

  if (is_program (installed_path))
    return g_steal_pointer (&installed_path);

  g_set_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
               "Cannot find %s (looked at %s%s%s); install BookImg, or set BOOKIMG_SERVER to "
               "the program's path.", PROGRAM_NAME,
               build_tree_path != NULL ? build_tree_path : "",
               build_tree_path != NULL ? " and " : "", installed_path);
  return NULL;
}

BiEmbeddedServer *
bi_embedded_server_new (const char *program,
                        const char *catalog_path)
{
  g_return_val_if_fail (program != NULL, NULL);

  return g_object_new (BI_TYPE_EMBEDDED_SERVER,
                       "program", program,
                       "catalog-path", catalog_path,
                       NULL);
}

void
bi_embedded_server_start_async (BiEmbeddedServer    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *log_path = NULL;

  g_return_if_fail (BI_IS_EMBEDDED_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_embedded_server_start_async);

  if (self->process != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               "The embedded server was already started.");
      return;
    }

  if (self->keep_data_dir)
    {
      if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                                   "Could not make the embedded server's data folder %s (%s); "
                                   "check that it is writable.", self->data_dir,
                                   g_strerror (saved_errno));
          return;
        }
    }
  else if ((self->data_dir = g_dir_make_tmp ("bookimg-server-XXXXXX", &error)) == NULL)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                               "Could not make a data folder for the embedded server (%s); "
                               "check that TMPDIR is writable.", error->message);
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, stop_with_parent, NULL, NULL);
  log_path = g_build_filename (self->data_dir, PROGRAM_NAME ".log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  /* Tesseract's OpenMP threads make OCR ~2.5× slower on small machines, and the variable only
   * works when set before the process starts. */
  g_subprocess_launcher_setenv (launcher, "OMP_THREAD_LIMIT", "1", FALSE);
  for (guint i = 0; self->environment != NULL && self->environment[i] != NULL; i++)
    {
      g_auto(GStrv) name_value = g_strsplit (self->environment[i], "=", 2);

      if (name_value[0] != NULL && name_value[1] != NULL)
        g_subprocess_launcher_setenv (launcher, name_value[0], name_value[1], TRUE);
    }

  g_ptr_array_add (argv, self->program);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, self->data_dir);
  /* A temporary data dir must not outlive an app that dies before it can remove it. */
  if (!self->keep_data_dir)
    g_ptr_array_add (argv, (char *) "--remove-data-dir");
  if (self->catalog_path != NULL)
    {
      g_ptr_array_add (argv, (char *) "--catalog");
      g_ptr_array_add (argv, self->catalog_path);
    }
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                &error);
  if (self->process == NULL)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_SERVER_START,
                               "Could not start %s: %s", self->program, error->message);
      return;
    }

  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  self->start_task = g_steal_pointer (&task);
  self->start_timeout_source = g_timeout_add_seconds (START_TIMEOUT_SECONDS, start_timeout_cb,
                                                      self);
  g_subprocess_wait_async (self->process, self->cancellable, process_exited_cb, self);
  read_next_line (self);
}

void
bi_embedded_server_set_data_dir (BiEmbeddedServer *self,
                                 const char       *data_dir)
{
  g_return_if_fail (BI_IS_EMBEDDED_SERVER (self));
  g_return_if_fail (self->process == NULL);

  g_free (self->data_dir);
  self->data_dir = g_strdup (data_dir);
  self->keep_data_dir = data_dir != NULL;
}

const char *
bi_embedded_server_get_data_dir (BiEmbeddedServer *self)
{
  g_return_val_if_fail (BI_IS_EMBEDDED_SERVER (self), NULL);

  return self->data_dir;
}

void
bi_embedded_server_set_extra_arguments (BiEmbeddedServer  *self,
                                        const char *const *arguments)
{
  g_return_if_fail (BI_IS_EMBEDDED_SERVER (self));
  g_return_if_fail (self->process == NULL);

  g_strfreev (self->extra_args);
  self->extra_args = g_strdupv ((char **) arguments);
}

void
bi_embedded_server_set_environment (BiEmbeddedServer  *self,
                                    const char *const *variables)
{
  g_return_if_fail (BI_IS_EMBEDDED_SERVER (self));
  g_return_if_fail (self->process == NULL);

  g_strfreev (self->environment);
  self->environment = g_strdupv ((char **) variables);
}

gboolean
bi_embedded_server_start_finish (BiEmbeddedServer  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
bi_embedded_server_get_url (BiEmbeddedServer *self)
{
  g_return_val_if_fail (BI_IS_EMBEDDED_SERVER (self), NULL);

  return self->url;
}

void
bi_embedded_server_stop_async (BiEmbeddedServer    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StopData *data;

  g_return_if_fail (BI_IS_EMBEDDED_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_embedded_server_stop_async);

  if (self->process == NULL || self->exited)
    {
      remove_data_dir_then_return (g_steal_pointer (&task));
      return;
    }

  data = g_new0 (StopData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) stop_data_free);
  data->grace_source = g_timeout_add_seconds (STOP_GRACE_SECONDS, stop_grace_cb, task);
  self->stopping = TRUE;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait_async (self->process, NULL, stopped_cb, g_steal_pointer (&task));
}

gboolean
bi_embedded_server_stop_finish (BiEmbeddedServer  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
