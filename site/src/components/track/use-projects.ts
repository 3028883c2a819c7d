/**
 * The user's projects and every project's tasks, loaded once and reloaded on
 * demand (after a change here, or when the page comes back into view).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type Project, type Task, fetchAllTasks, fetchProjects } from '../../lib/sessions/projects.ts';

export interface ProjectsState {
  projects: Project[];
  tasks: Task[];
  loaded: boolean;
  error: string | null;
  reload(): void;
  byId(id: string | null): Project | null;
  taskById(id: string | null): Task | null;
}

export function useProjects(refreshKey: unknown = 0): ProjectsState {
  const [projects, setProjects] = useState<Project[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);

  const load = async () => {
    const g = ++gen.current;
    try {
      const ps = await fetchProjects();
      const ts = await fetchAllTasks(ps);
      if (g !== gen.current) return;
      setProjects(ps);
      setTasks(ts);
      setError(null);
    } catch (e) {
      if (g === gen.current) setError(errorText(e));
    } finally {
      if (g === gen.current) setLoaded(true);
    }
  };
  useEffect(() => {
    void load();
  }, [refreshKey]);
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  return {
    projects,
    tasks,
    loaded,
    error,
    reload: () => void load(),
    byId: (id) => (id === null ? null : (projects.find((p) => p.id === id) ?? null)),
    taskById: (id) => (id === null ? null : (tasks.find((t) => t.id === id) ?? null)),
  };
}
